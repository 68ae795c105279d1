package io.ssehub.hub;

/**
 * The outcome of one publish.
 *
 * @param topic     the topic published to
 * @param delivered how many subscribers' queues took the frame (full queues are not counted)
 * @param id        the event id the hub gave it
 */
public record PublishResult(String topic, int delivered, String id) {
}
