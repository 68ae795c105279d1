package io.ssehub.hub;

import java.util.Objects;

/**
 * What a publisher asks the hub to deliver: a topic and a text payload.
 *
 * @param topic the topic, a non-empty string whose syntax the front end has already checked
 * @param data  the payload; may contain line breaks, which the encoder turns into several lines
 */
public record Message(String topic, String data) {
    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(data, "data");
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
    }
}
