package io.ssehub.bench.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Reads process figures from Linux {@code /proc}. A process that has gone away reads as 0, so a
 * sampler never fails because a worker exited.
 */
public final class Proc {

    /** Kernel clock ticks per second, the unit of utime and stime ({@code getconf CLK_TCK}). */
    public static final long TICKS_PER_SECOND = 100;

    private Proc() {
    }

    /**
     * {@code ticks} of CPU used since {@code sinceNanos} ({@link System#nanoTime()}) as a
     * percentage of one core (200 % is both cores of a 2-core machine); 0 when no time has passed.
     */
    public static double percentOfCore(long ticks, long sinceNanos) {
        double seconds = (System.nanoTime() - sinceNanos) / 1e9;
        return seconds <= 0 ? 0 : 100.0 * ticks / TICKS_PER_SECOND / seconds;
    }

    /** This JVM's process id. */
    public static long self() {
        return ProcessHandle.current().pid();
    }

    /** User plus system CPU time of the process, in clock ticks, all threads included. */
    public static long cpuTicks(long pid) {
        long[] split = cpuSplit(pid);
        return split[0] + split[1];
    }

    /** System (kernel) CPU time of the process, in clock ticks. */
    public static long systemTicks(long pid) {
        return cpuSplit(pid)[1];
    }

    /** {user, system} CPU time in clock ticks; zeros for a process that is gone. */
    private static long[] cpuSplit(long pid) {
        return cpuSplit(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /** {user, system} CPU time in clock ticks from a process's or a thread's {@code stat} file; zeros if it is gone. */
    private static long[] cpuSplit(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // The command name may contain spaces and parentheses: fields start after the last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the name: state is field 3, utime field 14, stime field 15 (1-based overall).
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    /**
     * CPU time, in clock ticks, of the process's JIT compiler threads (HotSpot names them
     * {@code C1 CompilerThre...} and {@code C2 CompilerThre...}); 0 for a process without them
     * (nginx) or one that is gone.
     */
    public static long compilerTicks(long pid) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException threadGone) {
                    continue; // ended between the listing and the read
                }
                if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                    long[] split = cpuSplit(task.resolve("stat"));
                    ticks += split[0] + split[1];
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended: what its compilers had taken so far
        }
        return ticks;
    }

    /**
     * The machine's load averages over 1, 5 and 15 minutes as {@code /proc/loadavg} gives them
     * (e.g. {@code "1.16 0.53 0.50"}), or {@code "unknown"}: on a shared machine they say how far
     * a run's absolute figures can be trusted.
     */
    public static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Resident set size of the process in bytes ({@code VmRSS}). */
    public static long rssBytes(long pid) {
        return status(pid, "VmRSS:") * 1024;
    }

    /** The process's threads ({@code Threads}): each holds a stack, so a pool that grows costs memory. */
    public static long threads(long pid) {
        return status(pid, "Threads:");
    }

    /** The number in a line of {@code /proc/<pid>/status}; 0 for a process that is gone. */
    private static long status(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** The process and its direct children (an nginx master and its workers). */
    public static List<Long> withChildren(long pid) {
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String children = Files.readString(task.resolve("children")).trim();
                if (!children.isEmpty()) {
                    for (String child : children.split("\\s+")) {
                        pids.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone: report what we have
        }
        return pids;
    }

    public static long cpuTicks(List<Long> pids) {
        return sum(pids, Proc::cpuTicks);
    }

    public static long systemTicks(List<Long> pids) {
        return sum(pids, Proc::systemTicks);
    }

    public static long rssBytes(List<Long> pids) {
        return sum(pids, Proc::rssBytes);
    }

    public static long compilerTicks(List<Long> pids) {
        return sum(pids, Proc::compilerTicks);
    }

    public static long threads(List<Long> pids) {
        return sum(pids, Proc::threads);
    }

    /** {@code each} of every process in {@code pids}, added up. */
    private static long sum(List<Long> pids, LongUnaryOperator each) {
        long sum = 0;
        for (long pid : pids) {
            sum += each.applyAsLong(pid);
        }
        return sum;
    }
}
