package io.ssehub.sse;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open stream of this application, for keep-alives and shutdown.
 *
 * <p>Thread-safe. Once {@link #closeAll()} has run, {@link #add} refuses new streams, so none can
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
        streams.remove(stream);
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

    /** Refuses new streams and closes every open one. */
    public void closeAll(CloseReason reason) {
        shutDown = true;
        for (SseStream stream : List.copyOf(streams)) {
            stream.close(reason);
        }
    }
}
