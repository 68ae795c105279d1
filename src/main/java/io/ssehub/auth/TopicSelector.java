package io.ssehub.auth;

import java.util.regex.Pattern;

/**
 * What a subscriber (or a token's claim) names: an exact topic, {@code *} for every topic, or an
 * RFC 6570 URI template such as {@code https://example.com/books/{id}}. Immutable, thread-safe.
 */
public sealed interface TopicSelector {

    boolean matches(String topic);

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
        public boolean matches(String topic) {
            return true;
        }

        @Override
        public String text() {
            return "*";
        }
    }

    record Exact(String text) implements TopicSelector {
        @Override
        public boolean matches(String topic) {
            return text.equals(topic);
        }
    }

    record Template(String text, Pattern pattern) implements TopicSelector {
        @Override
        public boolean matches(String topic) {
            return UriTemplate.matches(pattern, topic);
        }
    }
}
