package io.ssehub.sse;

/**
 * Told what streams do, for metrics. Every method has a no-op default.
 *
 * <p>Threading: called on container and writer threads, concurrently for different streams, and
 * on the hot path of every write: implementations must return quickly, never block, never throw
 * and should not allocate.
 */
public interface StreamObserver {

    /** Observes nothing. */
    StreamObserver NONE = new StreamObserver() {
    };

    /** A stream took {@code frames} frames off its queue at once: how deep the queue had become. */
    default void drained(int frames) {
    }

    /** A stream wrote {@code bytes} bytes to its response. */
    default void written(int bytes) {
    }

    /**
     * The last subscriber that took an event has flushed it.
     *
     * @param nanos from the publish to that flush
     */
    default void flushedByAll(long nanos) {
    }

    /** A stream ended, once, for {@code reason}, after {@code lifetimeNanos}. */
    default void closed(CloseReason reason, long lifetimeNanos) {
    }
}
