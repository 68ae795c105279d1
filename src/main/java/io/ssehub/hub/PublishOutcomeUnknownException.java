package io.ssehub.hub;

/**
 * A backplane could not learn, within the caller's wait, whether a publish went through: it sent
 * the request and the backplane answered nothing since (it stopped, froze, or the connection
 * broke). The events may be published or not, never in part; a retry with the same idempotency key
 * publishes them at most once and answers their ids.
 */
public final class PublishOutcomeUnknownException extends RuntimeException {

    public PublishOutcomeUnknownException(Throwable cause) {
        super("the backplane did not say whether the publish went through", cause);
    }
}
