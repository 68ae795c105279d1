package io.ssehub.bench.sse;

/** Receives what an {@link SseParser} dispatches. Called on the parsing thread. */
public interface SseListener {

    /**
     * One dispatched event.
     *
     * @param type       the event type; {@code "message"} when the stream gave none
     * @param data       the data buffer's UTF-8 bytes, without the final line feed; valid only
     *                   during this call
     * @param dataLength how many bytes of {@code data} belong to the event
     * @param lastEventId the last event ID at dispatch time ({@code ""} if none was set yet)
     */
    void onEvent(String type, byte[] data, int dataLength, String lastEventId);

    /** A comment line (one that starts with {@code :}); most listeners ignore it. */
    default void onComment() {
    }
}
