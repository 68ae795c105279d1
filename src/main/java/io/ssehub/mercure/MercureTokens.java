package io.ssehub.mercure;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.ssehub.auth.PemKeys;
import io.ssehub.http.ProblemException;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies Mercure JWTs with one configured key: an HMAC secret (HS256/384/512) or a PEM public
 * key (RS*, PS*, ES*). The algorithm is fixed by configuration, never taken from the token, so
 * {@code alg: none}, HMAC signed with a public key, or keys embedded in the token are refused.
 * Thread-safe.
 */
final class MercureTokens {

    /** What a valid token allows. */
    record Claims(List<TopicSelector> publish, List<TopicSelector> subscribe, Object payload, Date expires) {

        static final Claims NONE = new Claims(List.of(), List.of(), null, null);

        boolean mayPublishAll(List<String> topics) {
            return topics.stream().allMatch(t -> publish.stream().anyMatch(s -> s.matches(t)));
        }

        boolean maySubscribeAny(List<String> topics) {
            for (String topic : topics) {
                for (TopicSelector selector : subscribe) {
                    if (selector.matches(topic)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final int maxSelectors;

    /**
     * @param key        the HMAC secret, or a PEM public key; empty disables this kind of token
     * @param algorithm  e.g. HS256, RS256, ES256
     * @param requireExp whether a token without {@code exp} is refused
     */
    MercureTokens(String key, String algorithm, boolean requireExp, int maxSelectors) {
        this.maxSelectors = maxSelectors;
        if (key == null || key.isBlank()) {
            processor = null;
            return;
        }
        JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
        processor = new DefaultJWTProcessor<>();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(alg,
                    new ImmutableSecret<>(key.getBytes(StandardCharsets.UTF_8))));
        } else {
            PublicKey publicKey = PemKeys.parse(key, "the Mercure JWT key");
            if (!PemKeys.algorithmsOf(publicKey).contains(alg)) {
                throw new IllegalArgumentException("the Mercure JWT key is not a PEM public key for " + algorithm);
            }
            processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(alg, publicKey));
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(null, requireExp ? Set.of("exp") : Set.of());
        claims.setMaxClockSkew(30);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * @throws ProblemException 401 for a token that is unreadable, wrongly signed, expired or not
     *                          meant for this hub; never says which
     */
    Claims verify(String token) {
        if (processor == null) {
            throw unauthorized();
        }
        try {
            JWTClaimsSet set = processor.process(token, null);
            Object mercure = set.getClaim("mercure");
            if (mercure != null && !(mercure instanceof Map)) {
                throw unauthorized();
            }
            Map<?, ?> claim = mercure == null ? Map.of() : (Map<?, ?>) mercure;
            return new Claims(selectors(claim.get("publish")), selectors(claim.get("subscribe")),
                    claim.get("payload"), set.getExpirationTime());
        } catch (ParseException | BadJOSEException | JOSEException | IllegalArgumentException e) {
            throw unauthorized();
        }
    }

    private List<TopicSelector> selectors(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > maxSelectors) {
            throw unauthorized();
        }
        List<TopicSelector> selectors = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof String text)) {
                throw unauthorized();
            }
            selectors.add(TopicSelector.parse(text));
        }
        return selectors;
    }

    static ProblemException unauthorized() {
        return new ProblemException(401, "unauthorized", "Unauthorized",
                "a valid token is required", Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }
}
