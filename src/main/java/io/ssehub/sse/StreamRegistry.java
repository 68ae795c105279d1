package io.ssehub.sse;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Every open stream of this application, for keep-alives and shutdown.
 *
 * <p>Thread-safe. Once {@link #closeAll} or {@link #finishAll} has run, {@link #add} refuses new streams, so none can
 * slip in behind a shutdown.
 */
public final class StreamRegistry {

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean shutDown;

    /** Returns {@code false} when the application is shutting down; the caller must not open it. */
    public boolean add(SseStream stream) {
        streams.add(stream);
        if (shutDown) {
            streams.remove(stream);
            return false;
        }
        return true;
    }

    public void remove(SseStream stream) {
        if (streams.remove(stream) && streams.isEmpty()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    public boolean isShutDown() {
        return shutDown;
    }

    public int size() {
        return streams.size();
    }

    /** Asks every stream quiet for at least {@code quietNanos} to send a comment frame. */
    public void heartbeat(long quietNanos) {
        for (SseStream stream : streams) {
            stream.heartbeat(quietNanos);
        }
    }

    /** Closes every stream that overflowed more than {@code graceNanos} ago and is still writing. */
    public void enforceOverflowGrace(long graceNanos) {
        for (SseStream stream : streams) {
            stream.enforceOverflowGrace(graceNanos);
        }
    }

    /** Closes every stream whose deadline (such as its token's expiry) has passed. */
    public void enforceDeadlines() {
        long now = System.nanoTime();
        for (SseStream stream : streams) {
            stream.enforceDeadline(now);
        }
    }

    /** Closes every stream open for longer than {@code lifetimeNanos}; its client resumes by id. */
    public void closeOlderThan(long lifetimeNanos) {
        for (SseStream stream : streams) {
            if (stream.ageNanos() > lifetimeNanos) {
                stream.close(CloseReason.LIFETIME);
            }
        }
    }

    /** Closes every open stream but keeps accepting new ones; their clients reconnect and resume by id. */
    public void closeEvery(CloseReason reason) {
        for (SseStream stream : List.copyOf(streams)) {
            stream.close(reason);
        }
    }

    /**
     * Refuses new streams and asks every open one to write what it has queued, then a frame of
     * its own from {@code lastFrame} (a {@code retry:} hint), and close with {@code reason}.
     */
    public void finishAll(Supplier<byte[]> lastFrame, CloseReason reason) {
        shutDown = true;
        for (SseStream stream : List.copyOf(streams)) {
            stream.finish(lastFrame.get(), reason);
        }
    }

    /** Waits until no stream is open, at most {@code millis}; returns whether none is. */
    public boolean awaitEmpty(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (this) {
            while (!streams.isEmpty()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                wait(left);
            }
            return true;
        }
    }

    /** Refuses new streams and closes every open one. */
    public void closeAll(CloseReason reason) {
        shutDown = true;
        for (SseStream stream : List.copyOf(streams)) {
            stream.close(reason);
        }
    }
}
