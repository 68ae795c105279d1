package io.ssehub.hub;

import java.util.Collection;

/**
 * Keeps the number of distinct topics on this node bounded: once the hub holds {@code max}, a
 * publish or stream that names a topic it does not have yet is refused. The one definition of the
 * limit for every front end and the Java API. The count is read without a lock around the
 * publish, so a burst may overshoot by a few topics.
 */
public final class TopicQuota {

    private final Hub hub;
    private final int max;

    public TopicQuota(Hub hub, int max) {
        this.hub = hub;
        this.max = max;
    }

    /** @throws TopicLimitException if one of the topics would be new and the hub is full */
    public void check(Collection<String> topics) {
        if (hub.topics() < max) {
            return;
        }
        for (String topic : topics) {
            if (!hub.holds(topic)) {
                throw new TopicLimitException(max);
            }
        }
    }
}
