package io.ssehub.auth;

import java.time.Instant;
import java.util.Collection;
import java.util.function.BooleanSupplier;

/**
 * What one credential allows, whichever front end it was presented to and whichever claim format
 * it carries.
 *
 * @param publish   topics it may publish to
 * @param subscribe topics it may read, private updates included; the public topics need no grant
 *                  (see {@link AccessPolicy#mayRead})
 * @param expires   when it stops being valid (a token's {@code exp} plus the configured leeway);
 *                  {@code null} for an API key or no credential, which do not expire
 * @param admin     whether it may read the operational endpoints ({@code /topics/*}, {@code /metrics})
 * @param payload   the {@code mercure.payload} of a token, shown in Mercure's subscriptions API; or {@code null}
 * @param revoked   whether the credential has been withdrawn since (an API key taken out of its file);
 *                  a stream it opened is closed when this turns true
 * @param subject   who holds the credential, the same for each of its uses (per-publisher rate
 *                  limits count by it): {@code key:<digest prefix>} for an API key,
 *                  {@code jwt:<iss> <sub>} for a token with a subject, {@code jwt:#<digest prefix>}
 *                  for one without; {@code null} for no credential
 */
public record Grant(TopicRule publish, TopicRule subscribe, Instant expires, boolean admin, Object payload,
                    BooleanSupplier revoked, String subject) {

    private static final BooleanSupplier NEVER = () -> false;

    /** Publishing on a hub whose publishing is open: every topic, for ever. */
    public static final Grant OPEN = new Grant(TopicPatterns.ALL, TopicRule.NONE, null, false, null, NEVER, null);

    /** No credential: only what is public. */
    public static final Grant ANONYMOUS = new Grant(TopicRule.NONE, TopicRule.NONE, null, false, null, NEVER, null);

    /** A grant that is never revoked. */
    public Grant(TopicRule publish, TopicRule subscribe, Instant expires, boolean admin, Object payload,
                 String subject) {
        this(publish, subscribe, expires, admin, payload, NEVER, subject);
    }

    /** @throws AuthFailure FORBIDDEN unless every topic may be published to */
    public void checkPublish(Collection<String> topics) {
        if (!publish.allowsAll(topics)) {
            throw new AuthFailure(AuthFailure.Kind.FORBIDDEN, "publish to a topic outside the grant");
        }
    }

    public boolean isRevoked() {
        return revoked.getAsBoolean();
    }
}
