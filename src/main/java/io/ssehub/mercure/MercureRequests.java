package io.ssehub.mercure;

import io.ssehub.http.Credential;
import io.ssehub.http.ProblemException;

import java.net.URI;
import java.net.URISyntaxException;

/** Reading Mercure's inputs: where its clients put tokens, and the rules every topic string must follow. */
final class MercureRequests {

    /**
     * Mercure's places for a token besides {@code Authorization: Bearer}: the cookie
     * {@code mercureAuthorization}, and {@code ?authorization=} on a subscribe.
     */
    static final Credential.Places CREDENTIALS = new Credential.Places("mercureAuthorization", "authorization");
    static final String RESERVED = "/.well-known/mercure";

    private MercureRequests() {
    }

    /** A topic or selector: non-empty, bounded, no C0/C1 control character or DEL. */
    static String checkTopic(String topic, int maxLength) {
        if (topic == null || topic.isEmpty()) {
            throw bad("a topic must not be empty");
        }
        if (topic.length() > maxLength) {
            throw bad("a topic is at most " + maxLength + " characters");
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                throw bad("a topic must not contain control characters");
            }
        }
        return topic;
    }

    /**
     * Whether a topic lies in the hub's reserved namespace once resolved as a URI reference,
     * percent-decoded, so {@code %2Ewell-known} and absolute forms are caught too.
     */
    static boolean reserved(String topic) {
        String path;
        try {
            URI uri = new URI(topic);
            path = uri.getPath();
            if (path == null) {
                return false;
            }
            path = uri.normalize().getPath();
        } catch (URISyntaxException e) {
            path = topic;
        }
        return path.equals(RESERVED) || path.startsWith(RESERVED + "/")
                || path.equals(RESERVED.substring(1)) || path.startsWith(RESERVED.substring(1) + "/");
    }

    static ProblemException bad(String detail) {
        return ProblemException.badRequest("invalid-mercure-request", "Invalid Mercure request", detail);
    }
}
