package io.ssehub.hub;

import java.util.Objects;

/**
 * What a publisher asks the hub to deliver.
 *
 * @param topic the topic, a non-empty string whose syntax the front end has already checked
 * @param data  the payload; may contain line breaks, which the encoder turns into several lines
 * @param type  the event type ({@code event:} field), or {@code null} for the default
 *              {@code message}; the front end has checked it has no line breaks
 * @param retry the reconnection delay hint in milliseconds ({@code retry:} field), or {@code null}
 */
public record Message(String topic, String data, String type, Long retry) {

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(data, "data");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
    }

    public Message(String topic, String data) {
        this(topic, data, null, null);
    }
}
