package io.ssehub.hub;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer of one topic, with a bounded queue between the hub and whoever drains it.
 *
 * <p>Threading: the hub calls {@link #offer} (from publisher threads, one at a time per hub);
 * exactly one drainer at a time calls {@link #drainTo}. Both are thread-safe. A full queue never
 * blocks the hub: the frame is refused and counted in {@link #dropped()}.
 */
public final class Subscriber {

    /** Told when frames are waiting. Implementations must return quickly and never throw. */
    @FunctionalInterface
    public interface Sink {
        /** Called on the publisher's thread after a frame was queued. */
        void framesAvailable();
    }

    private final String topic;
    private final ArrayBlockingQueue<Frame> queue;
    private final Sink sink;
    private final AtomicLong dropped = new AtomicLong();

    public Subscriber(String topic, int capacity, Sink sink) {
        this.topic = Objects.requireNonNull(topic, "topic");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public String topic() {
        return topic;
    }

    /**
     * Queues a frame and tells the sink. Returns {@code false}, and counts the drop, when the
     * queue is full.
     */
    boolean offer(Frame frame) {
        if (!queue.offer(frame)) {
            dropped.incrementAndGet();
            return false;
        }
        sink.framesAvailable();
        return true;
    }

    /** Moves every queued frame, oldest first, to {@code into}; returns how many. */
    public int drainTo(List<Frame> into) {
        return queue.drainTo(into);
    }

    public boolean hasFrames() {
        return !queue.isEmpty();
    }

    public int queued() {
        return queue.size();
    }

    /** Frames refused because the queue was full. */
    public long dropped() {
        return dropped.get();
    }
}
