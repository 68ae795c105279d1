package io.ssehub.hub;

/**
 * An idempotency key seen before with other messages: nothing was published, and the first
 * request's ids are not given out for a different one.
 */
public final class IdempotencyConflictException extends IllegalArgumentException {

    public IdempotencyConflictException() {
        super("this idempotency key was used for a different request");
    }
}
