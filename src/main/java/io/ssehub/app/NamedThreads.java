package io.ssehub.app;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names our threads {@code ssehub-<role>-<n>} so a leak check, a thread dump or a log can tell them apart. */
final class NamedThreads implements ThreadFactory {

    static final String PREFIX = "ssehub-";

    private final String role;
    private final AtomicInteger count = new AtomicInteger();

    NamedThreads(String role) {
        this.role = role;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, PREFIX + role + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
