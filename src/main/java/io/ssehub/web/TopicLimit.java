package io.ssehub.web;

import io.ssehub.http.ProblemException;
import io.ssehub.hub.Hub;

import java.util.Collection;

/**
 * Keeps the number of distinct topics on this node bounded: once the hub holds the configured
 * number, a publish or stream that names a topic it does not have yet is refused with 503. The
 * count is read without a lock around the publish, so a burst may overshoot by a few topics.
 */
final class TopicLimit {

    static final int RETRY_AFTER_SECONDS = 30;

    private final Hub hub;
    private final int max;

    TopicLimit(Hub hub, int max) {
        this.hub = hub;
        this.max = max;
    }

    /** @throws ProblemException 503 if a topic would be new and the hub is full */
    void check(Collection<String> topics) {
        if (hub.topics() < max) {
            return;
        }
        for (String topic : topics) {
            if (hub.topic(topic).isEmpty()) {
                throw ProblemException.overloaded("topic-limit",
                        "this node holds its maximum of " + max + " topics", RETRY_AFTER_SECONDS);
            }
        }
    }
}
