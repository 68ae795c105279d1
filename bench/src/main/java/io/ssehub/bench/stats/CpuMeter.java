package io.ssehub.bench.stats;

import java.util.List;

/**
 * CPU used by a fixed set of processes between {@link #start} and {@link #percent()}, as a
 * percentage of one core (200 % is both cores of a 2-core machine).
 */
public final class CpuMeter {

    private final List<Long> pids;
    private final long startTicks;
    private final long startNanos;

    private CpuMeter(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.startTicks = Proc.cpuTicks(this.pids);
        this.startNanos = System.nanoTime();
    }

    public static CpuMeter start(List<Long> pids) {
        return new CpuMeter(pids);
    }

    /** CPU used since start, in percent of one core. */
    public double percent() {
        long ticks = Proc.cpuTicks(pids) - startTicks;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds <= 0 ? 0 : 100.0 * ticks / Proc.TICKS_PER_SECOND / seconds;
    }
}
