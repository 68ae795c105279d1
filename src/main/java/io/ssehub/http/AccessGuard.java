package io.ssehub.http;

import io.ssehub.auth.AccessPolicy;
import io.ssehub.auth.AuthFailure;
import io.ssehub.auth.Grant;
import io.ssehub.hub.Message;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Collection;
import java.util.function.Predicate;
import java.util.Locale;

/**
 * Applies the one {@link AccessPolicy} to HTTP requests, for every front end alike: takes the
 * credential out of the request (where the front end's clients put it, {@link Credential.Places})
 * and turns every refusal into a problem that tells the client only which of three things
 * happened: 401 (no usable credential, {@code WWW-Authenticate: Bearer}, with
 * {@code error="invalid_token"} when one was presented but failed), or 403 (valid, but not for
 * this). The reason goes to a debug log line; the credential goes nowhere.
 *
 * <p>A publish must carry its credential in a header or the cookie, never in the URL (URLs end up
 * in logs and browser history). A publish authenticated by the cookie from a page of another
 * origin is refused: a browser attaches the cookie to such a request on its own, so it proves
 * nothing about who sent it (CSRF).
 *
 * <p>Thread-safe and immutable.
 */
public final class AccessGuard {

    private static final Logger log = LoggerFactory.getLogger(AccessGuard.class);

    private final AccessPolicy policy;
    private final Credential.Places places;

    public AccessGuard(AccessPolicy policy, Credential.Places places) {
        this.policy = policy;
        this.places = places;
    }

    /**
     * The publisher's grant, checked before the body is read: a refusal is answered at once, and
     * the body is never read ({@link ProblemWriter} closes the connection instead).
     */
    public Grant publisher(HttpServletRequest request) {
        if (policy.publishIsOpen()) {
            return Grant.OPEN;
        }
        if (Credential.inQuery(request, places)) {
            log.debug("publish refused: credential in the query string");
            throw ProblemException.unauthorized("invalid_request");
        }
        Credential credential = Credential.fromHeadersOrCookie(request, places);
        if (credential.source() == Credential.Source.COOKIE && isCrossSite(request)) {
            log.debug("publish refused: cookie credential from a foreign origin");
            throw ProblemException.forbidden("a cookie may not authenticate a publish from another origin");
        }
        try {
            return policy.publisher(credential.value());
        } catch (AuthFailure failure) {
            throw refused(failure);
        }
    }

    /** Checked once the topics of the publish are known. */
    public void checkPublish(Grant grant, Collection<String> topics) {
        try {
            grant.checkPublish(topics);
        } catch (AuthFailure failure) {
            throw refused(failure);
        }
    }

    /**
     * What the reader of a stream may read: anonymous without a credential; a credential that is
     * presented must verify (401), even where the topics are public, since it decides which
     * private updates the stream receives.
     */
    public Grant reader(HttpServletRequest request) {
        try {
            return policy.reader(Credential.fromAnywhere(request, places).value());
        } catch (AuthFailure failure) {
            throw refused(failure);
        }
    }

    /** Admits a stream on topics each of which the grant must be able to read. */
    public void checkRead(Grant grant, Collection<String> topics) {
        try {
            policy.checkRead(grant, topics);
        } catch (AuthFailure failure) {
            throw refused(failure);
        }
    }

    /**
     * Which updates a stream admitted with {@code grant} receives, on every path: live, replay,
     * resume. For a stream whose selectors may match any topic (Mercure's).
     */
    public Predicate<Message> receives(Grant grant) {
        return message -> policy.mayReceive(grant, message.topics(), message.restricted());
    }

    /**
     * The same for a stream of named topics that {@link #checkRead} admitted: every update it is
     * offered is on one of those readable topics, so only a private one needs a look at the grant.
     * This runs for every subscriber on every publish, so it allocates nothing for the others.
     */
    public Predicate<Message> receivesOnAdmittedTopics(Grant grant) {
        return message -> !message.restricted() || policy.mayReceive(grant, message.topics(), true);
    }

    /** Admits a request to an operational endpoint: open, or a credential with an {@code admin} grant. */
    public void checkOperator(HttpServletRequest request) {
        if (policy.opsOpen()) {
            return;
        }
        try {
            policy.checkOperator(Credential.fromHeadersOrCookie(request, places).value());
        } catch (AuthFailure failure) {
            throw refused(failure);
        }
    }

    /** Whether the operational endpoints answer anyone. */
    public boolean opsOpen() {
        return policy.opsOpen();
    }

    private static ProblemException refused(AuthFailure failure) {
        log.debug("access refused ({}): {}", failure.kind(), failure.getMessage());
        return switch (failure.kind()) {
            case MISSING -> ProblemException.unauthorized(null);
            case INVALID -> ProblemException.unauthorized("invalid_token");
            case FORBIDDEN -> ProblemException.forbidden("the credential does not allow this");
        };
    }

    /**
     * A browser says where a request comes from in {@code Sec-Fetch-Site} and {@code Origin}; a
     * request whose origin's host and port differ from the {@code Host} it was sent to came from
     * another site's page. Requests without either header come from programs, not pages.
     */
    public static boolean isCrossSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return true;
        }
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return false;
        }
        String host = request.getHeader("Host");
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || host == null) {
                return true; // "null" origins (sandboxed frames, file:) are foreign
            }
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return !stripDefaultPort(authority).equalsIgnoreCase(stripDefaultPort(host));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String stripDefaultPort(String authority) {
        String lower = authority.toLowerCase(Locale.ROOT);
        return lower.endsWith(":80") || lower.endsWith(":443") ? lower.substring(0, lower.lastIndexOf(':')) : lower;
    }
}
