package io.ssehub.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what a container says about leaks while a web application stops (Tomcat reports threads
 * and ThreadLocals the application left behind through java.util.logging), and lists the threads
 * of ours or of our libraries still alive.
 */
public final class LeakWatch implements AutoCloseable {

    private static final List<String> OUR_THREADS = List.of("ssehub-", "lettuce-", "nioEventLoop", "epollEventLoop");

    private final Logger catalina = Logger.getLogger("org.apache.catalina");
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && message != null
                    && (message.contains("leak") || message.contains("thread") || message.contains("ThreadLocal"))
                    && !containerWorker(message)) {
                warnings.add(record.getLoggerName() + ": " + message);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /**
     * Tomcat names its own request workers when one of them still carries the application's
     * context class loader from the last request it served (it renews such workers itself); those
     * threads are the container's, not ours.
     */
    private static boolean containerWorker(String message) {
        return message.contains("started a thread named [http-nio-");
    }

    public LeakWatch() {
        catalina.addHandler(capture);
    }

    /** Leak warnings logged by the container since this watch started. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Waits until no thread of ours or of our libraries is alive. */
    public static void awaitNoThreadsLeft(Duration timeout) {
        Await.until(timeout, () -> threadsLeft().isEmpty(), "no thread of ours left: " + threadsLeft());
    }

    public static List<String> threadsLeft() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> OUR_THREADS.stream().anyMatch(name::startsWith))
                .toList();
    }

    @Override
    public void close() {
        catalina.removeHandler(capture);
    }
}
