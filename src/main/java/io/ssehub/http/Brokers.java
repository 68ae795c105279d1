package io.ssehub.http;

import io.ssehub.hub.DuplicateIdException;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a broker's answer on the request thread, for every front end: a failure becomes 503,
 * except a refusal of the request itself (a {@link DuplicateIdException}), which is rethrown for
 * the front end to answer.
 */
public final class Brokers {

    static final long TIMEOUT_MILLIS = 5_000;

    private Brokers() {
    }

    public static <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted while waiting to " + what, 1);
        } catch (ExecutionException | TimeoutException e) {
            if (e.getCause() instanceof DuplicateIdException refused) {
                throw refused;
            }
            // Nothing was acknowledged: the caller may retry; the cause stays out of the answer.
            throw ProblemException.unavailable("cannot " + what + " right now: the backplane is unreachable", 2);
        }
    }
}
