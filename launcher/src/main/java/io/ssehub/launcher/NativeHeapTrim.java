package io.ssehub.launcher;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives the C heap's free memory back to the system every 3 s, as the JVM itself does with
 * {@code -XX:TrimNativeHeapInterval=3000}. A connect burst keeps the JIT compilers busy, and the
 * memory they take and free again stays with the C library's allocator, resident, long after the
 * burst: with 10,000 idle streams on Undertow that was about 3 KB of the process's memory per
 * stream, above the streams' own 5.8 KB of live heap (docs/deployment.md, "Resident memory").
 * That option cannot be set in a running JVM, so the launcher runs the JVM's own trim (the command
 * {@code jcmd <pid> System.trim_native_heap} runs) on a daemon thread of its own, unless the
 * command line set the option, or the JVM has no such command (an older JDK update).
 */
final class NativeHeapTrim {

    private static final Logger log = LoggerFactory.getLogger(NativeHeapTrim.class);

    static final long INTERVAL_MILLIS = 3000;
    static final String AS_OPTION = "-XX:TrimNativeHeapInterval=" + INTERVAL_MILLIS;

    private static final String OPERATION = "systemTrimNativeHeap";

    private NativeHeapTrim() {
    }

    /**
     * Starts trimming unless the JVM trims by itself or cannot; returns the option it stands in
     * for, {@link #AS_OPTION}, when it started.
     */
    static Optional<String> start() {
        if (!wanted()) {
            return Optional.empty();
        }
        try {
            trimOnce(); // one at once: a JVM without the command says so here, not every 3 s in the log
        } catch (JMException | RuntimeException e) {
            log.debug("the JVM cannot trim its native heap: {}", e.toString());
            return Optional.empty();
        }
        ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ssehub-native-heap-trim");
            thread.setDaemon(true);
            return thread;
        });
        trimmer.scheduleWithFixedDelay(NativeHeapTrim::trimQuietly, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return Optional.of(AS_OPTION);
    }

    /**
     * Whether the JVM knows the option and the command line left it alone (at its default, no
     * trimming): {@code -XX:TrimNativeHeapInterval=0} given is a choice too.
     */
    private static boolean wanted() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        try {
            return vm != null && vm.getVMOption("TrimNativeHeapInterval").getOrigin() == VMOption.Origin.DEFAULT;
        } catch (IllegalArgumentException noSuchOption) {
            return false;
        }
    }

    /** Trims once; returns the JVM's report, e.g. {@code Trim native heap: RSS+Swap: 120M->98M (-22M)}. */
    static String trimOnce() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Object report = server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), OPERATION,
                new Object[]{new String[0]}, new String[]{String[].class.getName()});
        return String.valueOf(report).trim();
    }

    private static void trimQuietly() {
        try {
            log.trace("{}", trimOnce());
        } catch (JMException | RuntimeException e) {
            log.debug("native heap not trimmed: {}", e.toString());
        }
    }
}
