package io.ssehub.hub;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer of one or several topics, with a bounded queue between the hub and whoever drains it.
 *
 * <p>Threading: the hub calls {@link #offer} under its lock; exactly one drainer at a time calls
 * {@link #drainTo}. Both are thread-safe. A full queue never blocks the hub: under
 * {@link OverflowPolicy#DROP} the frame is dropped and counted; under
 * {@link OverflowPolicy#DISCONNECT} it is refused, the subscriber takes nothing more, and its sink
 * is told once through {@link Sink#overflowed()}.
 */
public final class Subscriber {

    /** Told when frames are waiting. Implementations must return quickly and never throw. */
    public interface Sink {
        /** Called on the publisher's thread, under the hub's lock, after a frame was queued. */
        void framesAvailable();

        /**
         * Called once, on the publisher's thread under the hub's lock, when a frame was refused
         * under {@link OverflowPolicy#DISCONNECT}: the sink should finish and close.
         */
        default void overflowed() {
        }
    }

    private final List<String> topics;
    private final boolean tagged;
    private final ArrayBlockingQueue<Frame> queue;
    private final Sink sink;
    private final OverflowPolicy policy;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean overflowed;
    /** Frames up to this seq were replayed from history; a live copy of one of them is skipped. */
    private volatile long replayedThrough;

    /**
     * @param tagged whether its frames name their topic (streams opened for a list of topics)
     */
    public Subscriber(List<String> topics, boolean tagged, int capacity, OverflowPolicy policy, Sink sink) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("a subscriber needs at least one topic");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.topics = List.copyOf(topics);
        this.tagged = tagged;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public Subscriber(String topic, int capacity, Sink sink) {
        this(List.of(topic), false, capacity, OverflowPolicy.DROP, sink);
    }

    public List<String> topics() {
        return topics;
    }

    /** Whether its frames name their topic (a stream opened for a list of topics). */
    public boolean tagged() {
        return tagged;
    }

    /** What became of one offered frame. */
    enum Offer {
        /** Queued for the stream. */
        QUEUED,
        /** Not queued: it was already sent from history. */
        REPLAYED,
        /** Dropped: the queue was full (drop policy). */
        QUEUE_FULL,
        /** Refused: the queue was full and the subscriber now takes nothing more (disconnect policy). */
        OVERFLOWED,
        /** Refused: the subscriber overflowed earlier under the disconnect policy. */
        REFUSED
    }

    /** Queues a frame and tells the sink, unless it says otherwise. */
    Offer offer(Frame frame) {
        if (overflowed) {
            return Offer.REFUSED;
        }
        if (frame.seq() <= replayedThrough) {
            return Offer.REPLAYED;
        }
        if (queue.offer(frame)) {
            sink.framesAvailable();
            return Offer.QUEUED;
        }
        dropped.incrementAndGet();
        if (policy == OverflowPolicy.DISCONNECT) {
            overflowed = true;
            sink.overflowed();
            return Offer.OVERFLOWED;
        }
        return Offer.QUEUE_FULL;
    }

    void replayedThrough(long seq) {
        replayedThrough = seq;
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

    /** Frames not queued because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Whether a frame was refused under {@code DISCONNECT}; such a subscriber takes nothing more. */
    public boolean overflowed() {
        return overflowed;
    }
}
