package io.ssehub.http;

import java.util.Map;

/**
 * An HTTP error with everything needed to render it as {@code application/problem+json}
 * (RFC 9457). Thrown by handlers; rendered in one place by {@link ProblemWriter}.
 */
public final class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, String> headers;
    private final Map<String, Object> extensions;

    /**
     * @param status  the HTTP status
     * @param type    a short slug naming the kind of problem; rendered as {@code urn:ssehub:problem:<type>}
     * @param title   a short, fixed summary of the kind of problem
     * @param detail  what was wrong with this request; never echoes secrets
     * @param headers extra response headers (such as {@code Allow})
     */
    public ProblemException(int status, String type, String title, String detail, Map<String, String> headers) {
        this(status, type, title, detail, headers, Map.of());
    }

    private ProblemException(int status, String type, String title, String detail, Map<String, String> headers,
                             Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.headers = Map.copyOf(headers);
        this.extensions = Map.copyOf(extensions);
    }

    /**
     * The same problem with an extension member (RFC 9457 section 3.2), such as the index of the
     * bad item in a batch, and the detail prefixed to say where it applies.
     */
    public ProblemException at(String prefix, String member, Object value) {
        Map<String, Object> more = new java.util.LinkedHashMap<>(extensions);
        more.put(member, value);
        return new ProblemException(status, type, title, prefix + getMessage(), headers, more);
    }

    public static ProblemException badRequest(String type, String title, String detail) {
        return new ProblemException(400, type, title, detail, Map.of());
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "not-found", "Not Found", detail, Map.of());
    }

    public static ProblemException methodNotAllowed(String method, String allow) {
        return new ProblemException(405, "method-not-allowed", "Method Not Allowed",
                method + " is not allowed here; use " + allow, Map.of("Allow", allow));
    }

    public static ProblemException payloadTooLarge(long limit) {
        return new ProblemException(413, "body-too-large", "Content Too Large",
                "the request body exceeds the limit of " + limit + " bytes", Map.of("Connection", "close"));
    }

    public static ProblemException unprocessable(String type, String title, String detail) {
        return new ProblemException(422, type, title, detail, Map.of());
    }

    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return overloaded("unavailable", detail, retryAfterSeconds);
    }

    /**
     * 401: no credential, or one that is unreadable, unknown or expired. Says no more than that.
     *
     * @param error the RFC 6750 error code for {@code WWW-Authenticate}, e.g. {@code invalid_token},
     *              or {@code null} when no credential was presented
     */
    public static ProblemException unauthorized(String error) {
        String challenge = "Bearer realm=\"ssehub\"" + (error == null ? "" : ", error=\"" + error + "\"");
        return new ProblemException(401, "unauthorized", "Unauthorized",
                "this request needs a valid API key or token", Map.of("WWW-Authenticate", challenge));
    }

    /** 403: a valid credential that does not allow this request. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail, Map.of());
    }

    /** 429: this client has reached a limit of its own; it may retry later. */
    public static ProblemException tooManyRequests(String type, String detail, int retryAfterSeconds) {
        return new ProblemException(429, type, "Too Many Requests", detail,
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /** 503: the node has reached a limit that protects it; any client may retry later. */
    public static ProblemException overloaded(String type, String detail, int retryAfterSeconds) {
        return new ProblemException(503, type, "Service Unavailable", detail,
                Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /** 500: a bug; says nothing about it (the log has the stack trace and the request id). */
    public static ProblemException internal() {
        return new ProblemException(500, "internal", "Internal Server Error",
                "the server failed to handle this request", Map.of());
    }

    public int status() {
        return status;
    }

    public String type() {
        return "urn:ssehub:problem:" + type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** Extra members of the problem body. */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
