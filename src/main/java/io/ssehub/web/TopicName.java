package io.ssehub.web;

import io.ssehub.http.ProblemException;
import io.ssehub.hub.InvalidMessageException;
import io.ssehub.hub.PublishRules;

/**
 * The topic syntax of the seed API: 1 to {@code maxLength} characters of
 * {@code [A-Za-z0-9._~:@-]} (checked after percent-decoding), as {@link PublishRules#topic} defines
 * it for every publisher. The hub itself accepts any non-empty string; this is the front end's
 * stricter rule.
 */
public final class TopicName {

    private TopicName() {
    }

    /**
     * Returns the topic unchanged if it is valid.
     *
     * @throws ProblemException 400 naming what is wrong (never echoing a huge value)
     */
    public static String check(String topic, int maxLength) {
        try {
            return PublishRules.topic(topic, maxLength);
        } catch (InvalidMessageException e) {
            throw RuleProblems.of(e);
        }
    }
}
