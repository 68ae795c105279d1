package io.ssehub.hub;

/**
 * A snapshot of one topic.
 *
 * @param topic       its name
 * @param subscribers subscribers on this node
 * @param lastEventId the id of the newest event retained or delivered, {@code null} if none
 * @param retained    events kept in its history
 */
public record TopicInfo(String topic, int subscribers, String lastEventId, int retained) {
}
