package io.ssehub.http;

import io.ssehub.hub.Broker;
import io.ssehub.hub.BrokerUnavailableException;
import io.ssehub.hub.DuplicateIdException;
import io.ssehub.hub.IdempotencyConflictException;
import io.ssehub.hub.PublishOutcomeUnknownException;
import io.ssehub.hub.TopicLimitException;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Waits for a broker's answer on the request thread, for every front end ({@link Broker#await}):
 * a failure becomes 503 (nothing was done), a publish whose outcome the backplane could not learn
 * 504, a reused idempotency key 422, the backplane's topic limit 503 {@code topic-limit}; a refusal of a publisher's id (a {@link DuplicateIdException}) is rethrown
 * for the front end to answer.
 */
public final class Brokers {

    /** The {@code Retry-After} of a publish refused because the topics are at their maximum. */
    public static final int TOPIC_LIMIT_RETRY_SECONDS = 30;

    private Brokers() {
    }

    public static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return Broker.await(stage);
        } catch (BrokerUnavailableException e) {
            if (e.interrupted()) {
                throw ProblemException.unavailable("interrupted while waiting to " + what, 1);
            }
            // Not done: the broker knows (an unknown outcome is a 504); the cause stays out of the answer.
            throw ProblemException.unavailable("cannot " + what + " right now: the backplane is unreachable", 2);
        } catch (IdempotencyConflictException e) {
            throw ProblemException.unprocessable("idempotency-key-reused", "Idempotency-Key reused", e.getMessage());
        } catch (PublishOutcomeUnknownException e) {
            throw new ProblemException(504, "outcome-unknown", "Outcome Unknown",
                    "the backplane did not say whether this went through; retry with the same Idempotency-Key,"
                            + " which publishes at most once", Map.of("Retry-After", "2"));
        } catch (TopicLimitException e) {
            throw ProblemException.overloaded("topic-limit", e.getMessage(), TOPIC_LIMIT_RETRY_SECONDS);
        }
    }
}
