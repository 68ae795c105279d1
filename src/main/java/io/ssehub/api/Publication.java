package io.ssehub.api;

import java.time.Duration;

/**
 * One event to publish: the fields of a {@code POST /publish} message. Nothing is checked when it
 * is made; {@link SseHub} checks every field when it is published.
 *
 * @param topic the topic: 1 to {@code ssehub.topic.maxLength} (200) characters of
 *              {@code A-Z a-z 0-9 . _ ~ : @ -}
 * @param msg   the data, any non-empty text; line breaks are sent as several {@code data:} lines
 * @param event the event type (the SSE {@code event:} field), or {@code null} for the default
 *              {@code message}: 1 to 64 characters without line breaks, not {@code ready} or
 *              {@code reset}
 * @param retry the reconnection delay hint sent with the event (the SSE {@code retry:} field), or
 *              {@code null}: 0 to 24 hours, sent in whole milliseconds (a finer part is dropped)
 */
public record Publication(String topic, String msg, String event, Duration retry) {

    /** An event of the default type {@code message}, without a reconnection hint. */
    public Publication(String topic, String msg) {
        this(topic, msg, null, null);
    }
}
