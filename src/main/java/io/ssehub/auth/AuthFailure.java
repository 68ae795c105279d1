package io.ssehub.auth;

/**
 * A request that may not go on. The message is for a debug log line only, never for the client,
 * and never contains the credential.
 */
public final class AuthFailure extends RuntimeException {

    /** How the front end answers: the three kinds a client may tell apart, and no more. */
    public enum Kind {
        /** No credential, or one presented in a way this route does not accept: 401. */
        MISSING,
        /** A credential that is malformed, unknown, badly signed or expired: 401 {@code invalid_token}. */
        INVALID,
        /** A valid credential that does not allow this: 403. */
        FORBIDDEN
    }

    private final Kind kind;

    public AuthFailure(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
