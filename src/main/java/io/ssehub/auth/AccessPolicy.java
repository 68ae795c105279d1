package io.ssehub.auth;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The one decision point for every front end: who may publish to a topic, who may read it, who
 * receives a private update, and who may look at the operational endpoints. The seed API and
 * Mercure both hand it the credential a request presented and apply its answers on every path
 * (live delivery, replay, resume, multi-topic streams, selectors), so a topic is guarded or
 * public whichever front end published it or reads it.
 *
 * <p>The rules:
 * <ul>
 *   <li>A credential is tried as an API key (one constant-time pass over the digests), then as a
 *       JWT against each configured verifier: the {@code ssehub.jwt.*} keys, and Mercure's
 *       publisher or subscriber key. Whatever verified it, its {@code ssehub} and {@code mercure}
 *       claims give one {@link Grant}.</li>
 *   <li>Publishing is open (no credential) when {@code ssehub.publish.auth} is {@code none};
 *       otherwise every topic must be in the grant's publish rule.</li>
 *   <li>A topic is public when {@code ssehub.subscribe.auth} is {@code none}, or when it matches
 *       {@code ssehub.subscribe.public}; anyone may read its updates. Any other topic needs a
 *       grant whose subscribe rule allows it.</li>
 *   <li>A private update reaches only a reader whose grant names one of its topics; being
 *       public does not count, so no credential never receives one.</li>
 *   <li>The operational endpoints are open or need an {@code admin} grant (see {@link #opsOpen()}).</li>
 * </ul>
 *
 * <p>Thread-safe and immutable, apart from the files ({@link ApiKeys}, {@link SecretFile}) that
 * {@link #refresh()} re-reads.
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

    /** What one direction accepts: API keys from these sets, and tokens from these verifiers. */
    private record Door(List<ApiKeys> apiKeys, List<JwtVerifier> tokens) {
        boolean open() {
            return apiKeys.isEmpty() && tokens.isEmpty();
        }
    }

    private final Door publish;
    private final Door subscribe;
    private final Door operators;
    private final TopicRule publicTopics;
    private final boolean opsOpen;
    private final ApiKeys apiKeys;
    private final List<SecretFile> secretFiles;
    private final Set<JwtVerifier> verifiers;

    private AccessPolicy(Builder b) {
        this.apiKeys = b.apiKeys;
        this.publish = new Door(present(b.publish.contains(Method.APIKEY) ? b.apiKeys : null, null),
                present(b.publish.contains(Method.JWT) ? b.jwt : null, b.mercurePublisher));
        this.subscribe = new Door(present(b.subscribe.contains(Method.APIKEY) ? b.apiKeys : null, null),
                present(b.subscribe.contains(Method.JWT) ? b.jwt : null, b.mercureSubscriber));
        this.publicTopics = b.subscribe.isEmpty() ? TopicPatterns.ALL : b.publicTopics;
        this.opsOpen = b.opsOpen;
        List<JwtVerifier> all = new ArrayList<>(publish.tokens());
        all.addAll(subscribe.tokens());
        this.verifiers = new LinkedHashSet<>(all);
        this.operators = new Door(present(b.operatorKeys, b.apiKeys), List.copyOf(verifiers));
        this.secretFiles = List.copyOf(b.secretFiles);
    }

    /** The ones that are configured, each once. */
    private static <T> List<T> present(T first, T second) {
        List<T> list = new ArrayList<>(2);
        if (first != null) {
            list.add(first);
        }
        if (second != null && second != first) {
            list.add(second);
        }
        return List.copyOf(list);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Everything open: the seed's demo. */
    public static AccessPolicy open() {
        return builder().build();
    }

    public boolean publishIsOpen() {
        return publish.open();
    }

    /** Whether the operational endpoints answer anyone; otherwise they need an {@code admin} grant. */
    public boolean opsOpen() {
        return opsOpen;
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
     * What a reader presenting {@code credential} may read: {@link Grant#ANONYMOUS} without one
     * (or where no reader credential is configured), else the credential's grant.
     *
     * @throws AuthFailure INVALID for a credential that does not verify
     */
    public Grant reader(String credential) {
        if (credential == null || credential.isEmpty() || subscribe.open()) {
            return Grant.ANONYMOUS;
        }
        return authenticate(credential, subscribe);
    }

    /** Whether the grant may read updates of the topic: it is public, or the grant allows it. */
    public boolean mayRead(Grant grant, String topic) {
        return publicTopics.allows(topic) || grant.subscribe().allows(topic);
    }

    /**
     * Admits a stream on {@code topics}: each must be readable.
     *
     * @throws AuthFailure MISSING (no credential and a guarded topic) or FORBIDDEN
     */
    public void checkRead(Grant grant, Collection<String> topics) {
        for (String topic : topics) {
            if (!mayRead(grant, topic)) {
                throw grant == Grant.ANONYMOUS
                        ? new AuthFailure(AuthFailure.Kind.MISSING, "no credential for a guarded topic")
                        : new AuthFailure(AuthFailure.Kind.FORBIDDEN, "subscribe to a topic outside the grant");
            }
        }
    }

    /**
     * Whether a reader with this grant receives an update on {@code topics}: a private one only
     * when the grant names one of them; any other when one of them is readable.
     */
    public boolean mayReceive(Grant grant, List<String> topics, boolean privateUpdate) {
        if (privateUpdate) {
            return grant.subscribe().allowsAny(topics);
        }
        for (String topic : topics) {
            if (mayRead(grant, topic)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Admits a request to an operational endpoint.
     *
     * @throws AuthFailure MISSING, INVALID, or FORBIDDEN for a credential without {@code admin}
     */
    public void checkOperator(String credential) {
        if (opsOpen) {
            return;
        }
        if (!authenticate(credential, operators).admin()) {
            throw new AuthFailure(AuthFailure.Kind.FORBIDDEN, "the credential has no admin grant");
        }
    }

    /** Re-reads the API key file and secret files that changed; called periodically. */
    public void refresh() {
        if (apiKeys != null) {
            apiKeys.refresh();
        }
        secretFiles.forEach(SecretFile::refresh);
    }

    /** False while a key or secret file cannot be used (every credential it held is refused). */
    public boolean healthy() {
        return (apiKeys == null || apiKeys.healthy()) && secretFiles.stream().allMatch(SecretFile::healthy);
    }

    private static Grant authenticate(String credential, Door door) {
        if (credential == null || credential.isEmpty()) {
            throw new AuthFailure(AuthFailure.Kind.MISSING, "no credential");
        }
        if (credential.length() > JwtVerifier.MAX_TOKEN_LENGTH) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "credential too long");
        }
        for (ApiKeys keys : door.apiKeys()) {
            Grant grant = keys.find(credential).orElse(null);
            if (grant != null) {
                return grant;
            }
        }
        AuthFailure failure = new AuthFailure(AuthFailure.Kind.INVALID, "unknown API key");
        for (JwtVerifier verifier : door.tokens()) {
            try {
                return verifier.verify(credential);
            } catch (AuthFailure refused) {
                failure = refused;
            }
        }
        throw failure;
    }

    @Override
    public void close() throws IOException {
        for (JwtVerifier verifier : verifiers) {
            verifier.close();
        }
    }

    /** Assembles a policy; what is not set is open or absent. */
    public static final class Builder {
        private Set<Method> publish = EnumSet.noneOf(Method.class);
        private Set<Method> subscribe = EnumSet.noneOf(Method.class);
        private TopicPatterns publicTopics = TopicPatterns.NONE;
        private ApiKeys apiKeys;
        private ApiKeys operatorKeys;
        private JwtVerifier jwt;
        private JwtVerifier mercurePublisher;
        private JwtVerifier mercureSubscriber;
        private boolean opsOpen = true;
        private final List<SecretFile> secretFiles = new ArrayList<>();

        private Builder() {
        }

        /** What {@code POST /publish} (and Mercure's publish) asks for; none: open. */
        public Builder publish(Set<Method> methods) {
            this.publish = Set.copyOf(methods);
            return this;
        }

        /** What a reader of a topic that is not public presents; none: every topic is public. */
        public Builder subscribe(Set<Method> methods) {
            this.subscribe = Set.copyOf(methods);
            return this;
        }

        public Builder publicTopics(TopicPatterns topics) {
            this.publicTopics = Objects.requireNonNull(topics);
            return this;
        }

        public Builder apiKeys(ApiKeys keys) {
            this.apiKeys = keys;
            return this;
        }

        /** Keys that open the operational endpoints only. */
        public Builder operatorKeys(ApiKeys keys) {
            this.operatorKeys = keys;
            return this;
        }

        /** The verifier of {@code ssehub.jwt.*}, used in each direction that accepts {@code jwt}. */
        public Builder jwt(JwtVerifier verifier) {
            this.jwt = verifier;
            return this;
        }

        /** Mercure's verifiers, each for its direction whatever the methods say; {@code null} for none. */
        public Builder mercure(JwtVerifier publisher, JwtVerifier subscriber) {
            this.mercurePublisher = publisher;
            this.mercureSubscriber = subscriber;
            return this;
        }

        public Builder opsOpen(boolean open) {
            this.opsOpen = open;
            return this;
        }

        /** Secret files to re-read with the API key file. */
        public Builder secretFile(SecretFile file) {
            secretFiles.add(file);
            return this;
        }

        /** @throws IllegalArgumentException if a direction asks for a method that has nothing configured */
        public AccessPolicy build() {
            boolean wantsKeys = publish.contains(Method.APIKEY) || subscribe.contains(Method.APIKEY);
            if (wantsKeys && apiKeys == null) {
                throw new IllegalArgumentException("API keys are asked for but none are configured");
            }
            if ((publish.contains(Method.JWT) && jwt == null && mercurePublisher == null)
                    || (subscribe.contains(Method.JWT) && jwt == null && mercureSubscriber == null)) {
                throw new IllegalArgumentException("JWTs are asked for but no key to verify them is configured");
            }
            return new AccessPolicy(this);
        }
    }
}
