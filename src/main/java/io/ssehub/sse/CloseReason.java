package io.ssehub.sse;

/** Why a stream ended; logged once when it closes. */
public enum CloseReason {
    /** The peer went away: the container reported completion or an I/O error while reading. */
    CLIENT_GONE,
    /** The client sent more on its stream request than a stream reads and discards. */
    CLIENT_SENT_TOO_MUCH,
    /** A write or flush to the socket failed. */
    WRITE_ERROR,
    /** The container timed the request out (only possible if someone re-enabled the timeout). */
    TIMEOUT,
    /** The subscriber could not keep up under the disconnect policy; it resumes by id. */
    OVERFLOW,
    /** The stream reached its configured maximum lifetime; its client resumes by id. */
    LIFETIME,
    /** The node may have missed events (its backplane connection was lost); its client resumes by id. */
    RESYNC,
    /** The token that admitted the stream expired; its client reconnects with a fresh one and resumes by id. */
    EXPIRED,
    /** The API key that admitted the stream was withdrawn (or its file became unusable). */
    REVOKED,
    /** The stream never opened: the backplane could not subscribe it, or a close reached it first. */
    REFUSED,
    /**
     * Opened over the node's limit of streams while the streams of clients that had left were
     * still counted, and still over it when its grace ended; its client resumes by id.
     */
    OVER_LIMIT,
    /** The application is shutting down or being undeployed. */
    SHUTDOWN
}
