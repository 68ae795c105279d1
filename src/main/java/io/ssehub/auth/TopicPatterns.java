package io.ssehub.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The topics a credential may touch: each pattern is an exact topic, or a prefix ending in
 * {@code *} ({@code news.*} allows {@code news.eu}); {@code *} alone allows every topic. Immutable.
 */
public final class TopicPatterns implements TopicRule {

    public static final TopicPatterns ALL = new TopicPatterns(List.of("*"));
    public static final TopicPatterns NONE = new TopicPatterns(List.of());

    private final List<String> exact = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private final int size;

    private TopicPatterns(Collection<String> patterns) {
        for (String pattern : patterns) {
            if (pattern.endsWith("*")) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else {
                exact.add(pattern);
            }
        }
        size = patterns.size();
    }

    /**
     * @throws IllegalArgumentException for an empty pattern or one with {@code *} other than at its end
     */
    public static TopicPatterns of(Collection<String> patterns) {
        for (String pattern : patterns) {
            int star = pattern.indexOf('*');
            if (pattern.isEmpty() || (star >= 0 && star != pattern.length() - 1)) {
                throw new IllegalArgumentException("a topic pattern is a topic, or a prefix ending in *");
            }
        }
        return patterns.isEmpty() ? NONE : new TopicPatterns(patterns);
    }

    /** Comma-separated patterns, blanks ignored; an empty string gives {@link #NONE}. */
    public static TopicPatterns parse(String commaSeparated) {
        List<String> patterns = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                patterns.add(part.trim());
            }
        }
        return of(patterns);
    }

    @Override
    public boolean allows(String topic) {
        if (exact.contains(topic)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (topic.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return size;
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(exact);
        prefixes.forEach(p -> all.add(p + "*"));
        return all.toString();
    }
}
