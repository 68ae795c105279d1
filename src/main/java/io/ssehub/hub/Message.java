package io.ssehub.hub;

import java.util.List;
import java.util.Objects;

/**
 * What a publisher asks the hub to deliver.
 *
 * @param topic      the (canonical) topic, a non-empty string whose syntax the front end checked
 * @param data       the payload; may contain line breaks, which the encoder turns into several lines
 * @param type       the event type ({@code event:} field), or {@code null} for the default
 *                   {@code message}; the front end has checked it has no line breaks
 * @param retry      the reconnection delay hint in milliseconds ({@code retry:} field), or {@code null}
 * @param alternates further topics the update is also about (Mercure); a subscriber of several of
 *                   them still receives it once
 * @param restricted whether only subscribers authorised for one of its topics may receive it
 *                   (Mercure's private updates); streams of the seed API never receive these
 * @param customId   an id chosen by the publisher (Mercure), or {@code null} for the hub's own
 */
public record Message(String topic, String data, String type, Long retry, List<String> alternates,
                      boolean restricted, String customId) {

    public Message {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(data, "data");
        alternates = List.copyOf(alternates);
        if (topic.isEmpty()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
    }

    public Message(String topic, String data, String type, Long retry) {
        this(topic, data, type, retry, List.of(), false, null);
    }

    public Message(String topic, String data) {
        this(topic, data, null, null);
    }

    /** The canonical topic, then the alternates. */
    public List<String> topics() {
        if (alternates.isEmpty()) {
            return List.of(topic);
        }
        java.util.ArrayList<String> all = new java.util.ArrayList<>(alternates.size() + 1);
        all.add(topic);
        all.addAll(alternates);
        return all;
    }
}
