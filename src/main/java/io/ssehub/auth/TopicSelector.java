package io.ssehub.auth;

import java.util.regex.Pattern;

/**
 * What a subscriber (or a token's claim) names: an exact topic, {@code *} for every topic, or an
 * RFC 6570 URI template such as {@code https://example.com/books/{id}}. Immutable, thread-safe.
 */
public sealed interface TopicSelector {

    /** Whether the topic matches, within a budget of its own. */
    default boolean matches(String topic) {
        return matches(topic, MatchBudget.perTopic());
    }

    /** Whether the topic matches, spending from {@code budget}: a template gives up when it is spent. */
    boolean matches(String topic, MatchBudget budget);

    /**
     * Whether matching could, on a topic of at most {@code maxLength} characters, cost more than a
     * budget holds: a crafted template that backtracks without end. Such a selector is refused.
     */
    default boolean tooCostly(int maxLength) {
        return false;
    }

    /** The selector as written. */
    String text();

    static TopicSelector parse(String text) {
        if (text.equals("*")) {
            return new All();
        }
        if (text.indexOf('{') >= 0) {
            return new Template(text, UriTemplate.compile(text));
        }
        return new Exact(text);
    }

    record All() implements TopicSelector {
        @Override
        public boolean matches(String topic, MatchBudget budget) {
            return true;
        }

        @Override
        public String text() {
            return "*";
        }
    }

    record Exact(String text) implements TopicSelector {
        @Override
        public boolean matches(String topic, MatchBudget budget) {
            return text.equals(topic);
        }
    }

    record Template(String text, Pattern pattern) implements TopicSelector {
        @Override
        public boolean matches(String topic, MatchBudget budget) {
            return UriTemplate.matches(pattern, topic, budget);
        }

        @Override
        public boolean tooCostly(int maxLength) {
            return UriTemplate.tooCostly(text, pattern, maxLength);
        }
    }
}
