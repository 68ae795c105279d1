package io.ssehub.hub;

/**
 * The hub already holds its maximum of topics and a publish or subscription would add one: it was
 * refused, and nothing was published. A topic the hub has stays usable; a new one may be accepted
 * again once idle topics have gone.
 */
public final class TopicLimitException extends RuntimeException {

    private final int max;

    TopicLimitException(int max) {
        this(max, "this node holds its maximum of " + max + " topics");
    }

    private TopicLimitException(int max, String message) {
        super(message);
        this.max = max;
    }

    /** The backplane holds history for its maximum of topics, for every node together. */
    public static TopicLimitException cluster(int max) {
        return new TopicLimitException(max, "the cluster holds history for its maximum of " + max + " topics");
    }

    /** The configured maximum ({@code ssehub.topics.max}). */
    public int max() {
        return max;
    }
}
