package io.ssehub.auth;

import java.util.Collection;
import java.util.List;

/**
 * Which topics something allows. A credential's rules come from either claim format (the
 * {@code ssehub} claim's prefix patterns, {@link TopicPatterns}; the {@code mercure} claim's
 * selectors, {@link Selectors}); the public topics are one too. Implementations are immutable.
 */
@FunctionalInterface
public interface TopicRule {

    TopicRule NONE = topic -> false;

    boolean allows(String topic);

    default boolean allowsAll(Collection<String> topics) {
        for (String topic : topics) {
            if (!allows(topic)) {
                return false;
            }
        }
        return true;
    }

    default boolean allowsAny(Collection<String> topics) {
        for (String topic : topics) {
            if (allows(topic)) {
                return true;
            }
        }
        return false;
    }

    /** A topic either rule allows. */
    default TopicRule or(TopicRule other) {
        if (this == NONE) {
            return other;
        }
        if (other == NONE) {
            return this;
        }
        TopicRule self = this;
        return topic -> self.allows(topic) || other.allows(topic);
    }

    /** Mercure's topic selectors: a topic matched by any of them. */
    record Selectors(List<TopicSelector> selectors) implements TopicRule {

        public Selectors {
            selectors = List.copyOf(selectors);
        }

        @Override
        public boolean allows(String topic) {
            for (TopicSelector selector : selectors) {
                if (selector.matches(topic)) {
                    return true;
                }
            }
            return false;
        }
    }
}
