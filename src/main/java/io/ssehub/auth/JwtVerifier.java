package io.ssehub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
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
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies JSON Web Tokens with nimbus-jose-jwt against the keys of the configuration only: an
 * HMAC secret, a PEM public key (RSA, EC or Ed25519), and a JWKS (file or https URL). Each key
 * source admits only the algorithms of its key type (or the one algorithm configured for it), so
 * {@code alg: none}, an HMAC token "signed" with a public key, or a key the token brings along
 * ({@code jwk}, {@code jku}, {@code x5u}) never verify. {@code exp} is required unless the
 * verifier is built without it (Mercure's keys may be); {@code iss} and {@code aud} are when
 * configured; {@code nbf} is honoured; clocks may differ by the leeway. One class verifies every
 * front end's tokens, so these rules cannot drift apart.
 *
 * <p>The topics come from either claim format, or both (a topic either allows is allowed):
 * <pre>
 * {"ssehub":  {"publish": ["news.*"], "subscribe": ["*"], "admin": true}}
 * {"mercure": {"publish": ["https://example.com/books/{id}"], "subscribe": ["*"], "payload": {...}}}
 * </pre>
 * {@code ssehub} patterns are topics or prefixes ending in {@code *}; {@code mercure} selectors
 * are topics, {@code *} or URI templates. {@code admin} opens the operational endpoints. A
 * token with neither claim is valid but allows nothing. Thread-safe.
 */
public final class JwtVerifier implements Closeable {

    /** Longer tokens are refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    static final String CLAIM = "ssehub";
    static final String MERCURE_CLAIM = "mercure";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Duration leeway;
    private final int maxPatterns;
    private final List<Closeable> closeables;

    /**
     * @param keys        where the verification keys come from; at least one
     * @param issuer      the required {@code iss}, or empty for any
     * @param audience    the required {@code aud}, or empty for any
     * @param leeway      the clock skew tolerated on {@code exp} and {@code nbf}
     * @param maxPatterns the most topic patterns and selectors a token may carry
     * @param requireExp  whether a token without {@code exp} is refused
     */
    public JwtVerifier(JwtKeys keys, String issuer, String audience, Duration leeway, int maxPatterns,
                       boolean requireExp) {
        if (keys.selectors().isEmpty()) {
            throw new IllegalArgumentException("JWT verification needs a secret, a public key or a JWKS");
        }
        this.leeway = leeway;
        this.maxPatterns = maxPatterns;
        this.closeables = keys.closeables();
        processor.setJWSKeySelector(new AnyOf(keys.selectors()));
        processor.setJWSVerifierFactory(new Ed25519JdkVerifier.Factory());

        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        Set<String> required = new HashSet<>(requireExp ? Set.of("exp") : Set.of());
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
     * @return what the token allows; it expires at its {@code exp} plus the leeway, or never
     *         without one (when {@code exp} is not required)
     * @throws AuthFailure INVALID for any token that does not verify, or whose claims are
     *                     malformed or carry more than the allowed number of patterns
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
        Instant expires = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant().plus(leeway);
        Map<?, ?> ssehub = object(claims.getClaim(CLAIM), CLAIM);
        Map<?, ?> mercure = object(claims.getClaim(MERCURE_CLAIM), MERCURE_CLAIM);
        List<String> ssehubPublish = strings(ssehub.get("publish"), CLAIM);
        List<String> ssehubSubscribe = strings(ssehub.get("subscribe"), CLAIM);
        List<String> mercurePublish = strings(mercure.get("publish"), MERCURE_CLAIM);
        List<String> mercureSubscribe = strings(mercure.get("subscribe"), MERCURE_CLAIM);
        int count = ssehubPublish.size() + ssehubSubscribe.size() + mercurePublish.size() + mercureSubscribe.size();
        if (count > maxPatterns) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "the token carries more than " + maxPatterns + " patterns");
        }
        Object admin = ssehub.get("admin");
        if (admin != null && !(admin instanceof Boolean)) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim ssehub.admin is not a boolean");
        }
        return new Grant(patterns(ssehubPublish).or(selectors(mercurePublish)),
                patterns(ssehubSubscribe).or(selectors(mercureSubscribe)), expires, Boolean.TRUE.equals(admin),
                mercure.get("payload"), subject(claims, token));
    }

    /** {@code jwt:<iss> <sub>}, or for a token without a subject {@code jwt:#} and a prefix of its digest. */
    private static String subject(JWTClaimsSet claims, String token) {
        if (claims.getSubject() != null) {
            return "jwt:" + (claims.getIssuer() == null ? "" : claims.getIssuer()) + " " + claims.getSubject();
        }
        return "jwt:#" + ApiKeys.digestOf(token).substring(0, 16);
    }

    private static Map<?, ?> object(Object claim, String name) {
        if (claim == null) {
            return Map.of();
        }
        if (!(claim instanceof Map<?, ?> map)) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim " + name + " is not an object");
        }
        return map;
    }

    private List<String> strings(Object value, String claim) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > maxPatterns) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim " + claim + " holds a non-list or too many patterns");
        }
        List<String> texts = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String text)) {
                throw new AuthFailure(AuthFailure.Kind.INVALID, "claim " + claim + " holds a pattern that is not a string");
            }
            texts.add(text);
        }
        return texts;
    }

    private static TopicRule patterns(List<String> patterns) {
        if (patterns.isEmpty()) {
            return TopicRule.NONE;
        }
        try {
            return TopicPatterns.of(patterns);
        } catch (IllegalArgumentException e) {
            throw new AuthFailure(AuthFailure.Kind.INVALID, "claim ssehub: " + e.getMessage());
        }
    }

    private static TopicRule selectors(List<String> texts) {
        if (texts.isEmpty()) {
            return TopicRule.NONE;
        }
        List<TopicSelector> selectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                selectors.add(TopicSelector.parse(text));
            } catch (IllegalArgumentException e) {
                throw new AuthFailure(AuthFailure.Kind.INVALID, "claim mercure: " + e.getMessage());
            }
        }
        return new TopicRule.Selectors(selectors);
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
            requireStrong(secret);
            return secret(() -> secret, null);
        }

        /**
         * @return the secret, if it is long enough for HMAC
         * @throws IllegalArgumentException for a secret under 256 bits
         */
        public static Secret requireStrong(Secret secret) {
            if (secret.bytes().length * 8 < 256) {
                throw new IllegalArgumentException("an HMAC secret needs at least 32 bytes (256 bits)");
            }
            return secret;
        }

        /**
         * An HMAC secret that may change (one read from a file): each token is checked against the
         * secret of the moment. {@code only} restricts it to one algorithm; otherwise HS256, and
         * HS384/HS512 when the secret is long enough for them. While {@code current} gives
         * {@code null} (a secret file that cannot be read), no token verifies with it.
         */
        public JwtKeys secret(Supplier<Secret> current, JWSAlgorithm only) {
            selectors.add(new HmacKeys(current, only));
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

        /**
         * A public key for one algorithm only (Mercure's configuration names it).
         *
         * @throws IllegalArgumentException if the key cannot verify that algorithm
         */
        public JwtKeys publicKey(PublicKey key, JWSAlgorithm only) {
            if (!PemKeys.algorithmsOf(key).contains(only)) {
                throw new IllegalArgumentException("the key is not a public key for " + only);
            }
            selectors.add(new SingleKeyJWSKeySelector<>(only, key));
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

    /** The HMAC secret of the moment, for the algorithms its length allows (or the one configured). */
    private record HmacKeys(Supplier<Secret> current, JWSAlgorithm only) implements JWSKeySelector<SecurityContext> {

        @Override
        public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) {
            Secret secret = current.get();
            JWSAlgorithm algorithm = header.getAlgorithm();
            if (secret == null || secret.isEmpty() || !JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)
                    || (only != null && !only.equals(algorithm))) {
                return List.of();
            }
            int bits = secret.bytes().length * 8;
            int needed = Integer.parseInt(algorithm.getName().substring(2));
            if (bits < 256 || (only == null && bits < needed)) {
                return List.of();
            }
            return List.of(new SecretKeySpec(secret.bytes(), "HmacSHA" + needed));
        }
    }
}
