package io.ssehub.hub;

/**
 * Turns a message into the bytes subscribers receive. Called once per published message, and at
 * most once more, lazily, for the multi-topic form. Results are shared and must never be modified
 * afterwards.
 */
public interface FrameEncoder {

    /** The frame of a single-topic stream. */
    byte[] encode(Message message, String id);

    /** The frame of a multi-topic stream, which also says which topic the event came from. */
    byte[] encodeWithTopic(Message message, String id);

    /**
     * The single-topic frame in two steps: what does not depend on the id, made before the hub
     * gives one (outside its lock, where a large message costs no other publisher anything), and
     * then the frame with its id ({@link Prepared#withId}, under the lock: it must be quick and
     * never block). By default everything happens in the second step.
     */
    default Prepared prepare(Message message) {
        return id -> encode(message, id);
    }

    /** A message made ready to be encoded: {@link #withId} gives the same bytes as {@link #encode}. */
    @FunctionalInterface
    interface Prepared {
        byte[] withId(String id);
    }
}
