package io.ssehub.hub;

/**
 * One published message, encoded once and shared by every subscriber that receives it.
 *
 * <p>Immutable; {@link #bytes()} must never be written to by anyone.
 *
 * @param seq            the hub-wide position of this frame, strictly increasing in publish order
 * @param topic          the topic it was published on
 * @param bytes          the complete wire frame
 * @param publishedNanos {@link System#nanoTime()} when the hub accepted it
 */
public record Frame(long seq, String topic, byte[] bytes, long publishedNanos) {
}
