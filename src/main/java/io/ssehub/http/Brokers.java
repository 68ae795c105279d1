package io.ssehub.http;

import io.ssehub.hub.Broker;
import io.ssehub.hub.BrokerUnavailableException;
import io.ssehub.hub.DuplicateIdException;

import java.util.concurrent.CompletionStage;

/**
 * Waits for a broker's answer on the request thread, for every front end ({@link Broker#await}):
 * a failure becomes 503, except a refusal of the request itself (a {@link DuplicateIdException}),
 * which is rethrown for the front end to answer.
 */
public final class Brokers {

    private Brokers() {
    }

    public static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return Broker.await(stage);
        } catch (BrokerUnavailableException e) {
            if (e.interrupted()) {
                throw ProblemException.unavailable("interrupted while waiting to " + what, 1);
            }
            // Nothing was acknowledged: the caller may retry; the cause stays out of the answer.
            throw ProblemException.unavailable("cannot " + what + " right now: the backplane is unreachable", 2);
        }
    }
}
