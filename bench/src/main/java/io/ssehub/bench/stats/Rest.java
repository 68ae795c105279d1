package io.ssehub.bench.stats;

import java.util.function.LongSupplier;

/**
 * Waits, one second at a time, until some of a server's CPU has rested: at most {@link #TICKS} clock
 * ticks (a twentieth of a core) in each of {@link #SECONDS} seconds in a row. What is watched (the
 * JIT's compilers, or the whole process) and what each second does (publish, or nothing) is the
 * caller's.
 */
public final class Rest {

    /**
     * Ticks (a hundredth of a second each) a second may use and still count as rest. On 2 cores with
     * 16 publishers, C2 was still compiling ssehub's publish path 20 s into a run (a third of the
     * server's samples in the measured 10 s), and runs of the same code differed by up to 3 times.
     */
    public static final long TICKS = 5;

    /**
     * How many seconds of rest in a row end the wait. One was not enough: C2, starved of a core by
     * the publishers' threads, pauses between compilations, and after one quiet second it went on
     * compiling (Jetty, 2026-12-05: a tenth of a core through the measured 10 s). Three do not
     * settle it either, which is why (d) shows the measured time's compiling.
     */
    public static final int SECONDS = 3;

    /** One second of whatever the caller does while it waits. */
    @FunctionalInterface
    public interface Second {
        void pass() throws Exception;
    }

    private Rest() {
    }

    /**
     * Runs {@code second} until {@code ticks} grew by at most {@link #TICKS} across each of
     * {@link #SECONDS} of them in a row, or until {@code untilNanos} ({@link System#nanoTime()}).
     */
    public static void await(LongSupplier ticks, Second second, long untilNanos) throws Exception {
        int rested = 0;
        while (rested < SECONDS && System.nanoTime() - untilNanos < 0) {
            long before = ticks.getAsLong();
            second.pass();
            rested = ticks.getAsLong() - before <= TICKS ? rested + 1 : 0;
        }
    }
}
