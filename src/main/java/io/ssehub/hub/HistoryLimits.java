package io.ssehub.hub;

import java.time.Duration;

/**
 * How much each topic remembers for resuming clients. The oldest events go first when any limit
 * is reached.
 *
 * @param perTopic events kept per topic; 0 keeps none (resume then always reports a reset)
 * @param maxAge   how long an event is kept
 * @param maxBytes the heap that kept events may hold over all topics together, as {@link HeapCost}
 *                 counts it: frames, messages and everything around them
 */
public record HistoryLimits(int perTopic, Duration maxAge, long maxBytes) {

    public static final HistoryLimits NONE = new HistoryLimits(0, Duration.ZERO, 0);

    public HistoryLimits {
        if (perTopic < 0 || maxBytes < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("history limits must not be negative");
        }
    }

    boolean enabled() {
        return perTopic > 0 && maxBytes > 0 && !maxAge.isZero();
    }
}
