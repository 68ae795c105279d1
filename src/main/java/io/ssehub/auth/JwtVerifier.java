package io.ssehub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.io.Closeable;
import java.io.IOException;
import java.security.Key;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies JSON Web Tokens with nimbus-jose-jwt against the keys of the configuration only: an
 * HMAC secret, a PEM public key (RSA or EC), and a JWKS (file or https URL). Each key source admits only the
 * algorithms of its key type, so {@code alg: none}, an HMAC token "signed" with a public key, or a
 * key the token brings along ({@code jwk}, {@code jku}, {@code x5u}) never verify. {@code exp} is
 * required; {@code iss} and {@code aud} are when configured; {@code nbf} is honoured; clocks may
 * differ by the leeway.
 *
 * <p>The topics come from the claim {@code ssehub}:
 * <pre>{"ssehub": {"publish": ["news.*"], "subscribe": ["*"]}}</pre>
 * A token without it is valid but allows nothing. Thread-safe.
 */
public final class JwtVerifier implements Closeable {

    /** Longer tokens are refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    static final String CLAIM = "ssehub";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Duration leeway;
    private final int maxPatterns;
    private final List<Closeable> closeables;

    /**
     * @param keys        where the verification keys come from; at least one
     * @param issuer      the required {@code iss}, or empty for any
     * @param audience    the required {@code aud}, or empty for any
     * @param leeway      the clock skew tolerated on {@code exp} and {@code nbf}
     * @param maxPatterns the most topic patterns a token may carry
     */
    public JwtVerifier(JwtKeys keys, String issuer, String audience, Duration leeway, int maxPatterns) {
        if (keys.selectors().isEmpty()) {
            throw new IllegalArgumentException("JWT verification needs a secret, a public key or a JWKS");
        }
        this.leeway = leeway;
        this.maxPatterns = maxPatterns;
        this.closeables = keys.closeables();
        processor.setJWSKeySelector(new AnyOf(keys.selectors()));
        processor.setJWSVerifierFactory(new Ed25519JdkVerifier.Factory());

        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        Set<String> required = new HashSet<>(Set.of("exp"));
        if (!issuer.isEmpty()) {
            exact.issuer(issuer);
            required.add("iss");
        }
        Set<String> audiences = null;
        if (!audience.isEmpty()) {
            audiences = Set.of(audience);
            required.add("aud");
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(audiences, exact.build(), required, null);
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, leeway.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * @return what the token allows; it expires at its {@code exp} plus the leeway
     * @throws AuthFailure INVALID for any token that does not verify, or whose {@code ssehub}
     *                     claim is malformed or carries more than the allowed number of patterns
     */
    public Grant verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "token longer than " + MAX_TOKEN_LENGTH);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "token refused: " + describe(e));
        }
        Instant expires = claims.getExpirationTime().toInstant().plus(leeway);
        Object topics = claims.getClaim(CLAIM);
        if (topics == null) {
            return new Grant(TopicPatterns.NONE, TopicPatterns.NONE, expires);
        }
        if (!(topics instanceof Map<?, ?> map)) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim ssehub is not an object");
        }
        TopicPatterns publish = patterns(map.get("publish"));
        TopicPatterns subscribe = patterns(map.get("subscribe"));
        if (publish.size() + subscribe.size() > maxPatterns) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim ssehub has more than " + maxPatterns + " patterns");
        }
        return new Grant(publish, subscribe, expires);
    }

    private TopicPatterns patterns(Object value) {
        if (value == null) {
            return TopicPatterns.NONE;
        }
        if (!(value instanceof List<?> list) || list.size() > maxPatterns) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim ssehub holds a non-list or too many patterns");
        }
        List<String> patterns = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String pattern)) {
                throw new AuthFailure(AuthFailure.Kind.INVALID, "claim ssehub holds a pattern that is not a string");
            }
            patterns.add(pattern);
        }
        try {
            return TopicPatterns.of(patterns);
        } catch (IllegalArgumentException e) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim ssehub: " + e.getMessage());
        }
    }

    /** The kind of failure and nimbus's reason, which names claims and algorithms but never the token. */
    private static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        return e.getClass().getSimpleName() + ": " + (message.length() > 160 ? message.substring(0, 160) : message);
    }

    @Override
    public void close() throws IOException {
        for (Closeable closeable : closeables) {
            closeable.close();
        }
    }

    /**
     * Keys from every configured source; each source gives keys only for the algorithms it admits
     * (nimbus's selectors return none for another algorithm). A source that fails (a JWKS that
     * cannot be fetched, or whose refetch for an unknown key id is rate-limited) does not stop
     * the others; its failure is reported only when no source had a key.
     */
    private record AnyOf(List<JWSKeySelector<SecurityContext>> selectors) implements JWSKeySelector<SecurityContext> {

        @Override
        public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
            List<Key> keys = new ArrayList<>();
            KeySourceException failure = null;
            for (JWSKeySelector<SecurityContext> selector : selectors) {
                try {
                    keys.addAll(selector.selectJWSKeys(header, context));
                } catch (KeySourceException e) {
                    failure = e;
                }
            }
            if (keys.isEmpty() && failure != null) {
                throw failure;
            }
            return keys;
        }
    }

    /** Builds the key sources, each bound to the algorithms its key type allows. */
    public static final class JwtKeys {

        private final List<JWSKeySelector<SecurityContext>> selectors = new ArrayList<>();
        private final List<Closeable> closeables = new ArrayList<>();

        List<JWSKeySelector<SecurityContext>> selectors() {
            return selectors;
        }

        List<Closeable> closeables() {
            return closeables;
        }

        public boolean isEmpty() {
            return selectors.isEmpty();
        }

        /**
         * HS256, and HS384/HS512 when the secret is long enough for them.
         *
         * @throws IllegalArgumentException for a secret under 256 bits
         */
        public JwtKeys secret(Secret secret) {
            int bits = secret.bytes().length * 8;
            if (bits < 256) {
                throw new IllegalArgumentException("an HMAC secret needs at least 32 bytes (256 bits)");
            }
            Set<JWSAlgorithm> algorithms = new HashSet<>(Set.of(JWSAlgorithm.HS256));
            if (bits >= 384) {
                algorithms.add(JWSAlgorithm.HS384);
            }
            if (bits >= 512) {
                algorithms.add(JWSAlgorithm.HS512);
            }
            selectors.add(new JWSVerificationKeySelector<>(algorithms, new ImmutableSecret<>(secret.bytes())));
            return this;
        }

        /**
         * The one configured public key: RS and PS for RSA, the ES of its curve for EC, EdDSA for
         * Ed25519. Used
         * whatever {@code kid} a token names, since there is no other.
         */
        public JwtKeys publicKey(PublicKey key) {
            for (JWSAlgorithm algorithm : PemKeys.algorithmsOf(key)) {
                selectors.add(new SingleKeyJWSKeySelector<>(algorithm, key));
            }
            return this;
        }

        /** A JWKS whose keys may change: only asymmetric algorithms, so no HMAC with a public key. */
        public JwtKeys jwks(JWKSource<SecurityContext> source) {
            Set<JWSAlgorithm> algorithms = new HashSet<>();
            algorithms.addAll(JWSAlgorithm.Family.RSA);
            algorithms.addAll(JWSAlgorithm.Family.EC);
            selectors.add(new JWSVerificationKeySelector<>(algorithms, source));
            if (source instanceof Closeable closeable) {
                closeables.add(closeable);
            }
            return this;
        }
    }
}
