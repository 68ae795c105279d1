package io.ssehub.auth;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Who may publish and who may subscribe. Each direction is open (no credential asked) or accepts
 * API keys, JWTs, or either; some topics may be readable without a credential. The credential is
 * tried as an API key first (one constant-time pass over the digests), then as a JWT.
 *
 * <p>Thread-safe and immutable, apart from the API key file that {@link ApiKeys#refresh()} reloads.
 */
public final class AccessPolicy implements Closeable {

    /** A way to prove oneself. */
    public enum Method {
        APIKEY, JWT;

        /**
         * {@code none}, {@code apikey}, {@code jwt} or {@code apikey,jwt}.
         *
         * @throws IllegalArgumentException for anything else
         */
        public static Set<Method> parse(String value) {
            String normalized = value.toLowerCase(Locale.ROOT).replace(" ", "");
            return switch (normalized) {
                case "none" -> EnumSet.noneOf(Method.class);
                case "apikey" -> EnumSet.of(APIKEY);
                case "jwt" -> EnumSet.of(JWT);
                case "apikey,jwt", "jwt,apikey" -> EnumSet.of(APIKEY, JWT);
                default -> throw new IllegalArgumentException("none, apikey, jwt or apikey,jwt");
            };
        }
    }

    private final Set<Method> publish;
    private final Set<Method> subscribe;
    private final TopicPatterns publicTopics;
    private final ApiKeys apiKeys;
    private final JwtVerifier jwt;

    /**
     * @param apiKeys the known API keys, or {@code null} when no direction accepts them
     * @param jwt     the token verifier, or {@code null} when no direction accepts tokens
     * @throws IllegalArgumentException if a direction asks for a method that has nothing configured
     */
    public AccessPolicy(Set<Method> publish, Set<Method> subscribe, TopicPatterns publicTopics, ApiKeys apiKeys,
                        JwtVerifier jwt) {
        this.publish = Set.copyOf(publish);
        this.subscribe = Set.copyOf(subscribe);
        this.publicTopics = publicTopics;
        this.apiKeys = apiKeys;
        this.jwt = jwt;
        boolean wantsKeys = publish.contains(Method.APIKEY) || subscribe.contains(Method.APIKEY);
        boolean wantsTokens = publish.contains(Method.JWT) || subscribe.contains(Method.JWT);
        if (wantsKeys && apiKeys == null) {
            throw new IllegalArgumentException("API keys are asked for but none are configured");
        }
        if (wantsTokens && jwt == null) {
            throw new IllegalArgumentException("JWTs are asked for but no key to verify them is configured");
        }
    }

    /** Everything open: the seed's demo. */
    public static AccessPolicy open() {
        return new AccessPolicy(Set.of(), Set.of(), TopicPatterns.NONE, null, null);
    }

    public boolean publishIsOpen() {
        return publish.isEmpty();
    }

    /** Whether a stream on these topics needs no credential. */
    public boolean subscribeIsOpen(Collection<String> topics) {
        return subscribe.isEmpty() || publicTopics.allowsAll(topics);
    }

    /**
     * What a publisher presenting {@code credential} may do; the topics are checked by the caller
     * with {@link Grant#checkPublish}.
     *
     * @param credential the presented key or token, or {@code null}
     * @throws AuthFailure MISSING or INVALID
     */
    public Grant publisher(String credential) {
        return publishIsOpen() ? Grant.OPEN : authenticate(credential, publish);
    }

    /**
     * Admits a stream on {@code topics}: open, public topics need nothing; any other topic must be
     * allowed by the credential's grant.
     *
     * @return the grant, whose expiry (if any) ends the stream
     * @throws AuthFailure MISSING, INVALID or FORBIDDEN
     */
    public Grant subscriber(String credential, Collection<String> topics) {
        if (subscribeIsOpen(topics)) {
            return Grant.OPEN;
        }
        Grant grant = authenticate(credential, subscribe);
        List<String> guarded = new ArrayList<>();
        for (String topic : topics) {
            if (!publicTopics.allows(topic)) {
                guarded.add(topic);
            }
        }
        if (!grant.subscribe().allowsAll(guarded)) {
            throw new AuthFailure(AuthFailure.Kind.FORBIDDEN, "subscribe to a topic outside the grant");
        }
        return grant;
    }

    /** Reloads the API key file if it changed; called periodically. */
    public void refresh() {
        if (apiKeys != null) {
            apiKeys.refresh();
        }
    }

    private Grant authenticate(String credential, Set<Method> methods) {
        if (credential == null || credential.isEmpty()) {
            throw new AuthFailure(AuthFailure.Kind.MISSING, "no credential");
        }
        if (credential.length() > JwtVerifier.MAX_TOKEN_LENGTH) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "credential too long");
        }
        if (methods.contains(Method.APIKEY)) {
            Grant grant = apiKeys.find(credential).orElse(null);
            if (grant != null) {
                return grant;
            }
        }
        if (methods.contains(Method.JWT)) {
            return jwt.verify(credential);
        }
        throw new AuthFailure(AuthFailure.Kind.INVALID, "unknown API key");
    }

    @Override
    public void close() throws IOException {
        if (jwt != null) {
            jwt.close();
        }
    }
}
