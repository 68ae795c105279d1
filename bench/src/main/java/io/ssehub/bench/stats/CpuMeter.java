package io.ssehub.bench.stats;

import java.util.List;

/**
 * CPU used by a fixed set of processes between {@link #start} and {@link #percent()}, as a
 * percentage of one core (200 % is both cores of a 2-core machine).
 */
public final class CpuMeter {

    private final List<Long> pids;
    private final long startTicks;
    private final long startSystemTicks;
    private final long startNanos;

    private CpuMeter(List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.startTicks = Proc.cpuTicks(this.pids);
        this.startSystemTicks = Proc.systemTicks(this.pids);
        this.startNanos = System.nanoTime();
    }

    public static CpuMeter start(List<Long> pids) {
        return new CpuMeter(pids);
    }

    /** CPU (user + system) used since start, in percent of one core. */
    public double percent() {
        return percentOf(Proc.cpuTicks(pids) - startTicks);
    }

    /** CPU (user + system) used since start, in microseconds, all threads of all the processes. */
    public long micros() {
        return (Proc.cpuTicks(pids) - startTicks) * 1_000_000 / Proc.TICKS_PER_SECOND;
    }

    /** The system (kernel) part of {@link #percent()}: syscalls, network stack, scheduling. */
    public double systemPercent() {
        return percentOf(Proc.systemTicks(pids) - startSystemTicks);
    }

    private double percentOf(long ticks) {
        return Proc.percentOfCore(ticks, startNanos);
    }
}
