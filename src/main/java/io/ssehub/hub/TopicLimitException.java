package io.ssehub.hub;

/**
 * The hub already holds its maximum of topics and a publish or subscription would add one: it was
 * refused, and nothing was published. A topic the hub has stays usable; a new one may be accepted
 * again once idle topics have gone.
 */
public final class TopicLimitException extends RuntimeException {

    private final int max;

    TopicLimitException(int max) {
        super("this node holds its maximum of " + max + " topics");
        this.max = max;
    }

    /** The configured maximum ({@code ssehub.topics.max}). */
    public int max() {
        return max;
    }
}
