package io.ssehub.http;

/**
 * Counts the requests of one kind being handled, so shutdown can refuse new ones and wait for
 * those already running to finish.
 *
 * <p>Thread-safe; every {@link #enter()} that returned {@code true} must be followed by one
 * {@link #exit()}.
 */
public final class InFlight {

    private int running;
    private boolean closed;

    /** Returns {@code false} once {@link #closeAndAwait} has been called: refuse the request. */
    public synchronized boolean enter() {
        if (closed) {
            return false;
        }
        running++;
        return true;
    }

    public synchronized void exit() {
        if (--running == 0) {
            notifyAll();
        }
    }

    /**
     * Refuses further requests and waits at most {@code millis} for the running ones to finish.
     *
     * @return whether none is running any more
     */
    public synchronized boolean closeAndAwait(long millis) throws InterruptedException {
        closed = true;
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (running > 0) {
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
