package io.ssehub.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests of one kind being handled, so shutdown can refuse new ones and wait for
 * those already running to finish.
 *
 * <p>Thread-safe; every {@link #enter()} that returned {@code true} must be followed by one
 * {@link #exit()}.
 */
public final class InFlight {

    /** Set in {@link #state} once closed; the bits below it count the running requests. */
    private static final int CLOSED = 1 << 30;

    /**
     * The count and the closed flag in one word, so every request enters and leaves with one
     * atomic step: a lock here would be one more that every publish on every thread takes.
     */
    private final AtomicInteger state = new AtomicInteger();

    /** Returns {@code false} once {@link #closeAndAwait} has been called: refuse the request. */
    public boolean enter() {
        int now;
        do {
            now = state.get();
            if ((now & CLOSED) != 0) {
                return false;
            }
        } while (!state.compareAndSet(now, now + 1));
        return true;
    }

    public void exit() {
        if (state.decrementAndGet() == CLOSED) {
            synchronized (this) {
                notifyAll(); // the last one out after closing: closeAndAwait waits on this
            }
        }
    }

    /**
     * Refuses further requests and waits at most {@code millis} for the running ones to finish.
     *
     * @return whether none is running any more
     */
    public synchronized boolean closeAndAwait(long millis) throws InterruptedException {
        state.getAndUpdate(now -> now | CLOSED);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (state.get() != CLOSED) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /**
     * The handler, counted while it runs; once shutdown has begun it answers 503 instead, at once
     * and without reading the body. (A handler that reads its body with a {@link BodyReader} is
     * counted again while its continuation runs.)
     */
    public Handler guard(Handler handler) {
        return (request, response, params) -> {
            if (!enter()) {
                throw ProblemException.unavailable("the hub is shutting down", 1);
            }
            try {
                handler.handle(request, response, params);
            } finally {
                exit();
            }
        };
    }
}
