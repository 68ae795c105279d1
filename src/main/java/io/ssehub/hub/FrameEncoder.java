package io.ssehub.hub;

/**
 * Turns a message into the bytes subscribers receive. Called once per published message under the
 * hub's lock (it must be quick and never block), and at most once more, lazily, for the
 * multi-topic form. Results are shared and must never be modified afterwards.
 */
public interface FrameEncoder {

    /** The frame of a single-topic stream. */
    byte[] encode(Message message, String id);

    /** The frame of a multi-topic stream, which also says which topic the event came from. */
    byte[] encodeWithTopic(Message message, String id);
}
