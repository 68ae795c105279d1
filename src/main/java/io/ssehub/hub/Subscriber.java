package io.ssehub.hub;

import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One consumer of one or several topics, with a bounded queue between the hub and whoever drains it.
 *
 * <p>Threading: the hub calls {@code offer} under its lock and {@code signal} after releasing it;
 * exactly one drainer at a time calls
 * {@link #drainTo}. Both are thread-safe. A full queue never blocks the hub: under
 * {@link OverflowPolicy#DROP} the frame is dropped and counted; under
 * {@link OverflowPolicy#DISCONNECT} it is refused, the subscriber takes nothing more, and its sink
 * is told once through {@link Sink#overflowed()}.
 */
public final class Subscriber {

    /** Told when frames are waiting. Implementations must return quickly and never throw. */
    public interface Sink {
        /** Called on the publisher's thread, after the hub released its lock, when frames were queued. */
        void framesAvailable();

        /**
         * Called once, on the publisher's thread under the hub's lock, when a frame was refused
         * under {@link OverflowPolicy#DISCONNECT}: the sink should finish and close.
         */
        default void overflowed() {
        }
    }

    private final List<String> topics;
    private final Predicate<Message> accepts;
    private final boolean everywhere;
    private final boolean tagged;
    /**
     * Lock-free, bounded by {@link #queued}: the hub offers while a writer drains, and neither ever
     * waits for the other (a blocking queue's lock handed waiters between them on every frame).
     */
    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    /** Frames in {@link #queue}, counted before a frame goes in and after it came out. */
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
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
        this(topics, false, PUBLIC_ONLY, tagged, capacity, policy, sink);
    }

    /** Takes every update that is not restricted to authorised subscribers: the seed API's rule. */
    public static final Predicate<Message> PUBLIC_ONLY = message -> !message.restricted();

    /**
     * A subscriber that the hub considers for every update, whatever its topics (topic selectors
     * such as {@code *} or URI templates): {@code accepts} decides, including for restricted updates.
     */
    public static Subscriber matching(Predicate<Message> accepts, int capacity, OverflowPolicy policy, Sink sink) {
        return new Subscriber(List.of(), true, accepts, false, capacity, policy, sink);
    }

    private Subscriber(List<String> topics, boolean everywhere, Predicate<Message> accepts, boolean tagged,
                       int capacity, OverflowPolicy policy, Sink sink) {
        if (topics.isEmpty() && !everywhere) {
            throw new IllegalArgumentException("a subscriber needs at least one topic");
        }
        this.everywhere = everywhere;
        this.accepts = Objects.requireNonNull(accepts, "accepts");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.topics = List.copyOf(topics);
        this.tagged = tagged;
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public Subscriber(String topic, int capacity, Sink sink) {
        this(List.of(topic), false, capacity, OverflowPolicy.DROP, sink);
    }

    public List<String> topics() {
        return topics;
    }

    /** Whether the hub offers it every update, leaving the choice to {@link #accepts}. */
    public boolean everywhere() {
        return everywhere;
    }

    /** Whether it may and wants to receive the update. */
    public boolean accepts(Message message) {
        return accepts.test(message);
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
        REFUSED,
        /** Not for this subscriber: restricted, or not matching its selectors. */
        NOT_WANTED
    }

    /** Queues a frame if the subscriber wants it; the hub signals the sink after releasing its lock. */
    Offer offer(Frame frame) {
        if (overflowed) {
            return Offer.REFUSED;
        }
        if (!accepts.test(frame.message())) {
            return Offer.NOT_WANTED;
        }
        if (frame.seq() <= replayedThrough) {
            return Offer.REPLAYED;
        }
        if (queued.incrementAndGet() <= capacity) {
            queue.offer(frame);
            return Offer.QUEUED;
        }
        queued.decrementAndGet();
        dropped.incrementAndGet();
        if (policy == OverflowPolicy.DISCONNECT) {
            overflowed = true;
            sink.overflowed();
            return Offer.OVERFLOWED;
        }
        return Offer.QUEUE_FULL;
    }

    /** Tells the sink that frames are waiting; called by the hub outside its lock. */
    void signal() {
        sink.framesAvailable();
    }

    /** Frames up to {@code seq} were sent from history; live copies of them are skipped. */
    public void replayedThrough(long seq) {
        replayedThrough = seq;
    }

    /** Whether the frame was already sent from history (it may have been queued before that was known). */
    public boolean replayed(Frame frame) {
        return frame.seq() <= replayedThrough;
    }

    /** Moves every queued frame, oldest first, to {@code into}; returns how many. */
    public int drainTo(List<Frame> into) {
        int count = 0;
        Frame frame;
        while ((frame = queue.poll()) != null) {
            into.add(frame);
            count++;
        }
        queued.addAndGet(-count);
        return count;
    }

    public boolean hasFrames() {
        return !queue.isEmpty();
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
