package io.ssehub.api;

/**
 * What publishing one event did: the answer {@code POST /publish} gives as
 * {@code {"delivered":N,"topic":"t","id":"..."}}.
 *
 * @param topic     the topic published to
 * @param delivered how many of this node's subscribers' queues took the event (a full queue, or
 *                  another node's subscriber, is not counted)
 * @param id        the event's id: the {@code id:} line subscribers receive, and what a client
 *                  resumes from with {@code Last-Event-ID}
 */
public record Receipt(String topic, int delivered, String id) {
}
