package io.ssehub.hub;

/**
 * Turns a message into the bytes every subscriber receives. Called once per published message,
 * on the publisher's thread; the result is shared and must never be modified afterwards.
 */
@FunctionalInterface
public interface FrameEncoder {
    byte[] encode(Message message);
}
