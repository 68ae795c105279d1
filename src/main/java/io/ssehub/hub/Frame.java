package io.ssehub.hub;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One published message, encoded once and shared by every subscriber that receives it.
 *
 * <p>Immutable but for the multi-topic encoding, which is made on first use (by whichever writer
 * thread needs it first; making it twice is harmless). The byte arrays must never be written to.
 *
 * <p>It also counts the flushes still owed, to tell when the last subscriber has flushed it: each
 * stream reports its flush ({@link #flushed()}, going negative) and the hub adds the number of
 * queues that took the frame once fan-out is over; whichever brings the count to zero saw the
 * last flush. A subscriber that closes before flushing leaves the count above zero, so such an
 * event is simply never reported.
 */
public final class Frame {

    private static final AtomicIntegerFieldUpdater<Frame> UNFLUSHED =
            AtomicIntegerFieldUpdater.newUpdater(Frame.class, "unflushed");

    private final long seq;
    private final String id;
    private final Message message;
    private final byte[] bytes;
    private final long publishedNanos;
    private final FrameEncoder encoder;
    private final long heapBytes;
    private volatile byte[] withTopic;
    private volatile int unflushed;

    Frame(long seq, String id, Message message, byte[] bytes, long publishedNanos, FrameEncoder encoder) {
        this.seq = seq;
        this.id = id;
        this.message = message;
        this.bytes = bytes;
        this.publishedNanos = publishedNanos;
        this.encoder = encoder;
        this.heapBytes = HeapCost.of(this);
    }

    /** What keeping this frame in one topic's history costs the heap ({@link HeapCost}). */
    public long heapBytes() {
        return heapBytes;
    }

    /** The hub-wide position of this frame, strictly increasing in publish order. */
    public long seq() {
        return seq;
    }

    /** The event id as sent on the wire. */
    public String id() {
        return id;
    }

    public String topic() {
        return message.topic();
    }

    /** What was published. */
    public Message message() {
        return message;
    }

    /** The frame of a single-topic stream. */
    public byte[] bytes() {
        return bytes;
    }

    /** The frame for a stream of the given kind. */
    public byte[] bytes(boolean tagged) {
        if (!tagged) {
            return bytes;
        }
        byte[] encoded = withTopic;
        if (encoded == null) {
            encoded = encoder.encodeWithTopic(message, id);
            withTopic = encoded;
        }
        return encoded;
    }

    /** {@link System#nanoTime()} (or the hub's clock) when the hub accepted it. */
    public long publishedNanos() {
        return publishedNanos;
    }

    /**
     * Called by a stream once it has flushed this frame to its client.
     *
     * @return whether that was the last flush owed, so the caller reports the publish-to-flush time
     */
    public boolean flushed() {
        return UNFLUSHED.decrementAndGet(this) == 0;
    }

    /** Called by the hub after fan-out; returns whether every flush already happened. */
    boolean owedFlushes(int delivered) {
        return delivered > 0 && UNFLUSHED.addAndGet(this, delivered) == 0;
    }
}
