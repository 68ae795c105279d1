package io.ssehub.hub;

/**
 * Told what the hub does, for metrics. Every method has a no-op default, so an observer implements
 * only what it counts.
 *
 * <p>Threading: called on the publisher's or subscriber's thread, concurrently; a publish is
 * reported after the hub's lock is released, an overflow under it. Implementations must return
 * quickly, never block, never call back into the hub, never throw, and should not allocate (they
 * run once per publish and per subscribe).
 */
public interface HubObserver {

    /** Observes nothing. */
    HubObserver NONE = new HubObserver() {
    };

    /**
     * One publish has been fanned out.
     *
     * @param subscribers subscribers of the topic when it was published
     * @param delivered   of those, how many queues took the frame
     * @param queueFull   how many dropped it because their queue was full
     * @param refused     how many refused it because they overflowed under the disconnect policy
     * @param nanos       time spent in {@link Hub#publish}, waiting for the lock included
     */
    default void published(int subscribers, int delivered, int queueFull, int refused, long nanos) {
    }

    /** A subscriber overflowed under {@link OverflowPolicy#DISCONNECT}; its stream is being closed. */
    default void overflowed() {
    }

    /**
     * A subscription that asked for a position in history has started.
     *
     * @param replayed frames replayed from history
     * @param reset    whether history no longer covered the requested position
     */
    default void resumed(int replayed, boolean reset) {
    }

    /**
     * More frames of a resume went out, in a page after its start (a backplane that streams a
     * long replay a page at a time).
     */
    default void replayed(int frames) {
    }

    /**
     * Every subscriber that took an event has flushed it to its client.
     *
     * @param nanos from the publish to the last of those flushes
     */
    default void flushedByAll(long nanos) {
    }
}
