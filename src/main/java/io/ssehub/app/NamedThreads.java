package io.ssehub.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names our threads {@code ssehub-<role>-<n>} so a leak check, a thread dump or a log can tell them apart. */
final class NamedThreads implements ThreadFactory {

    static final String PREFIX = "ssehub-";

    private final String role;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    NamedThreads(String role) {
        this.role = role;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, PREFIX + role + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /**
     * Waits until every thread made here has ended. An executor reports termination while its
     * last worker is still exiting; a container's leak check right after an undeploy would see it.
     */
    void join(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (Thread thread : threads) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left > 0) {
                thread.join(left);
            }
        }
    }
}
