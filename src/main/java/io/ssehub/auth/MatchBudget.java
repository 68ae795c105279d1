package io.ssehub.auth;

/**
 * How many characters the regular-expression engine may read while URI templates are matched
 * against one topic: one budget per match, or one shared by a subscription's selectors for one
 * topic, so a subscription of many templates costs no more per topic than one. A template gives up
 * (does not match) once the budget is spent. Not thread-safe: one per thread and topic.
 */
public final class MatchBudget {

    /** What one topic may cost one subscription. */
    static final long PER_TOPIC = 200_000;

    private long left;

    public MatchBudget(long steps) {
        this.left = steps;
    }

    /** A fresh budget of {@value #PER_TOPIC} reads. */
    public static MatchBudget perTopic() {
        return new MatchBudget(PER_TOPIC);
    }

    /** Takes one read; false once the budget is spent. */
    boolean spend() {
        return --left >= 0;
    }

    public boolean exhausted() {
        return left < 0;
    }
}
