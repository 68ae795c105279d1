package io.ssehub.web;

import io.ssehub.http.ProblemException;
/**
 * The topic syntax of the seed API: 1 to {@code maxLength} characters of
 * {@code [A-Za-z0-9._~:@-]} (checked after percent-decoding). The hub itself accepts any non-empty
 * string; this is the front end's stricter rule.
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
        if (topic == null || topic.isEmpty()) {
            throw invalid("the topic must not be empty");
        }
        if (topic.length() > maxLength) {
            throw invalid("the topic is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < topic.length(); i++) {
            if (!allowed(topic.charAt(i))) {
                throw invalid("a topic may only contain A-Z a-z 0-9 . _ ~ : @ -");
            }
        }
        return topic;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '~' || c == ':' || c == '@' || c == '-';
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-topic", "Invalid topic", detail);
    }
}
