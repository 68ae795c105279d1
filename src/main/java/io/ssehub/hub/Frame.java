package io.ssehub.hub;

/**
 * One published message, encoded once and shared by every subscriber that receives it.
 *
 * <p>Immutable but for the multi-topic encoding, which is made on first use (by whichever writer
 * thread needs it first; making it twice is harmless). The byte arrays must never be written to.
 */
public final class Frame {

    private final long seq;
    private final String id;
    private final Message message;
    private final byte[] bytes;
    private final long publishedNanos;
    private final FrameEncoder encoder;
    private volatile byte[] withTopic;

    Frame(long seq, String id, Message message, byte[] bytes, long publishedNanos, FrameEncoder encoder) {
        this.seq = seq;
        this.id = id;
        this.message = message;
        this.bytes = bytes;
        this.publishedNanos = publishedNanos;
        this.encoder = encoder;
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
}
