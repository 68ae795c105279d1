package io.ssehub.auth;

import java.time.Instant;
import java.util.Collection;

/**
 * What one credential allows.
 *
 * @param publish   topics it may publish to
 * @param subscribe topics it may subscribe to
 * @param expires   when it stops being valid (a token's {@code exp} plus the configured leeway);
 *                  {@code null} for an API key or an open hub, which do not expire
 */
public record Grant(TopicPatterns publish, TopicPatterns subscribe, Instant expires) {

    /** Everything, for ever: what an unauthenticated request gets when a direction is open. */
    public static final Grant OPEN = new Grant(TopicPatterns.ALL, TopicPatterns.ALL, null);

    /** @throws AuthFailure FORBIDDEN unless every topic may be published to */
    public void checkPublish(Collection<String> topics) {
        if (!publish.allowsAll(topics)) {
            throw new AuthFailure(AuthFailure.Kind.FORBIDDEN, "publish to a topic outside the grant");
        }
    }
}
