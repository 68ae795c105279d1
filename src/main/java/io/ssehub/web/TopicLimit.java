package io.ssehub.web;

import io.ssehub.http.Brokers;
import io.ssehub.http.ProblemException;
import io.ssehub.hub.Hub;
import io.ssehub.hub.TopicLimitException;
import io.ssehub.hub.TopicQuota;

import java.util.Collection;

/**
 * Keeps the number of distinct topics on this node bounded ({@link TopicQuota}, shared with the
 * Java API): once the hub holds the configured number, a publish or stream that names a topic it
 * does not have yet is refused with 503.
 */
final class TopicLimit {


    private final TopicQuota quota;

    TopicLimit(Hub hub, int max) {
        this.quota = new TopicQuota(hub, max);
    }

    /** @throws ProblemException 503 if a topic would be new and the hub is full */
    void check(Collection<String> topics) {
        try {
            quota.check(topics);
        } catch (TopicLimitException e) {
            throw ProblemException.overloaded("topic-limit", e.getMessage(), Brokers.TOPIC_LIMIT_RETRY_SECONDS);
        }
    }
}
