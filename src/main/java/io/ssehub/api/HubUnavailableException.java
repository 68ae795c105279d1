package io.ssehub.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The hub cannot publish right now; the same event may succeed later: {@code POST /publish}'s
 * 503 (or 504, when the backplane did not say whether it published). {@link #reason()} says why and {@link #retryAfter()} how long to wait before trying again.
 */
public final class HubUnavailableException extends RuntimeException {

    /** Why publishing is refused. */
    public enum Reason {
        /** ssehub is stopping or has stopped with its web application. Nothing was published. */
        SHUTTING_DOWN,
        /**
         * This node holds its maximum of topics ({@code ssehub.topics.max}) and the event names a
         * new one. Nothing was published; topics the hub has stay usable.
         */
        TOPIC_LIMIT,
        /**
         * The backplane (Redis) is unreachable or refused the publish. Nothing was published.
         */
        BACKPLANE,
        /**
         * The backplane was sent the publish and answered nothing for the whole wait: the events
         * (a batch is all or none) may be published or not. A retry with the same idempotency key
         * ({@link SseHub#publishAll(List, String)}) publishes them at most once and answers their
         * ids.
         */
        OUTCOME_UNKNOWN,
        /**
         * The calling thread was interrupted while waiting for the backplane; its flag is set
         * again. As {@link #OUTCOME_UNKNOWN}.
         */
        INTERRUPTED
    }

    private final Reason reason;
    private final Duration retryAfter;

    public HubUnavailableException(Reason reason, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Reason reason() {
        return reason;
    }

    /** How long to wait before trying again: the {@code Retry-After} of the matching HTTP answer. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
