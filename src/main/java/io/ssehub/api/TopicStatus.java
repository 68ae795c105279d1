package io.ssehub.api;

/**
 * A snapshot of one topic on this node: what {@code GET /topics/{topic}} answers.
 *
 * @param topic       its name
 * @param subscribers streams on this node subscribed to it
 * @param lastEventId the id of the newest event it retained or delivered, {@code null} if none
 * @param retained    events kept in its history on this node (none with the Redis backplane,
 *                    where Redis keeps the history)
 */
public record TopicStatus(String topic, int subscribers, String lastEventId, int retained) {
}
