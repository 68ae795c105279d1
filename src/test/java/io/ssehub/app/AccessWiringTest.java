package io.ssehub.app;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import io.ssehub.auth.AccessPolicy;
import io.ssehub.auth.ApiKeys;
import io.ssehub.auth.AuthFailure;
import io.ssehub.auth.Grant;
import io.ssehub.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The security settings: open by default, every broken setting fails the deployment naming its
 * key, and a configuration where one front end would open what the other guards does not start.
 */
class AccessWiringTest {

    static final String SECRET = "s".repeat(40);

    @TempDir
    Path dir;

    private static Config config(Map<String, String> params) {
        return Config.load(new Config.Sources(params::get, k -> null, k -> null));
    }

    /** The policy as the application builds it, with Mercure mounted when it is enabled. */
    private static AccessPolicy policy(Map<String, String> params) {
        Config config = config(params);
        return AccessWiring.policy(config.access(), config.mercureEnabled() ? config.mercure() : null);
    }

    private static String failure(Map<String, String> params) {
        return assertThrows(ConfigException.class, () -> policy(params)).getMessage();
    }

    private static String hs256(String secret, JWTClaimsSet claims) {
        return Tokens.hmac(JWSAlgorithm.HS256, secret.getBytes(StandardCharsets.UTF_8), claims);
    }

    @Test
    void everythingIsOpenByDefault() {
        AccessPolicy policy = policy(Map.of());
        assertTrue(policy.publishIsOpen());
        assertTrue(policy.mayRead(Grant.ANONYMOUS, "any"));
        assertTrue(policy.opsOpen());
        assertTrue(policy.healthy());
    }

    @Test
    void brokenSettingsNameTheirKey() {
        assertTrue(failure(Map.of("ssehub.publish.auth", "password")).contains("ssehub.publish.auth"));
        assertTrue(failure(Map.of("ssehub.publish.auth", "jwt")).contains("ssehub.publish.auth"));
        assertTrue(failure(Map.of("ssehub.subscribe.auth", "apikey")).contains("ssehub.subscribe.auth"));
        assertTrue(failure(Map.of("ssehub.apikeys", "abc")).contains("ssehub.apikeys"));
        assertTrue(failure(Map.of("ssehub.apikeys.file", "/no/such/file")).contains("ssehub.apikeys.file"));
        assertTrue(failure(Map.of("ssehub.jwt.publicKey", "/no/such.pem")).contains("ssehub.jwt.publicKey"));
        assertTrue(failure(Map.of("ssehub.jwt.jwks", "http://plain.example/jwks")).contains("ssehub.jwt.jwks"));
        assertTrue(failure(Map.of("ssehub.cors.origins", "*,https://a.example")).contains("ssehub.cors.origins"));
        assertTrue(failure(Map.of("ssehub.subscribe.public", "a*b")).contains("ssehub.subscribe.public"));
        assertTrue(failure(Map.of("ssehub.ops.access", "sometimes")).contains("ssehub.ops.access"));
        assertTrue(failure(Map.of("ssehub.ops.apikeys", "abc")).contains("ssehub.ops.apikeys"));
        assertTrue(failure(Map.of("ssehub.jwt.secret.file", "/no/such/secret")).contains("ssehub.jwt.secret.file"));
    }

    @Test
    void aShortSecretFailsWithoutShowingIt() {
        String message = failure(Map.of("ssehub.jwt.secret", "hunter2-short", "ssehub.mercure.enabled", "false"));
        assertTrue(message.contains("ssehub.jwt.secret"), message);
        assertFalse(message.contains("hunter2"), message);
        String logged = config(Map.of("ssehub.jwt.secret", "hunter2-" + "x".repeat(40))).toString();
        assertFalse(logged.contains("hunter2"), "the configuration is logged at startup");
    }

    @Test
    void anOpenPublishBesideAGuardedMercureDoesNotStart() {
        // The configuration of the report: readers guarded, a secret set, publishing left at its default.
        String message = failure(Map.of("ssehub.subscribe.auth", "jwt", "ssehub.subscribe.public", "public.*",
                "ssehub.jwt.secret", SECRET));
        assertTrue(message.contains("ssehub.publish.auth"), message);
        assertTrue(message.contains("ssehub.mercure.publisherJwtKey"), message);
        assertTrue(message.contains("ssehub.mercure.enabled=false"), message);
        assertTrue(failure(Map.of("ssehub.mercure.publisherJwtKey", SECRET)).contains("ssehub.publish.auth"));
        // Without Mercure, or with publishing guarded, the same settings start.
        policy(Map.of("ssehub.subscribe.auth", "jwt", "ssehub.jwt.secret", SECRET, "ssehub.mercure.enabled", "false"));
        policy(Map.of("ssehub.subscribe.auth", "jwt", "ssehub.publish.auth", "jwt", "ssehub.jwt.secret", SECRET));
    }

    @Test
    void anOpenEventsBesideAClosedMercureDoesNotStart() {
        String message = failure(Map.of("ssehub.mercure.anonymous", "false"));
        assertTrue(message.contains("ssehub.mercure.anonymous"), message);
        assertTrue(message.contains("ssehub.subscribe.auth"), message);
    }

    @Test
    void mercureTokensAreJudgedByTheSameRulesOnEitherFrontEnd() {
        AccessPolicy policy = policy(Map.of("ssehub.publish.auth", "jwt", "ssehub.subscribe.auth", "jwt",
                "ssehub.subscribe.public", "public.*", "ssehub.jwt.secret", SECRET, "ssehub.jwt.issuer", "https://issuer"));
        JWTClaimsSet.Builder mercure = new JWTClaimsSet.Builder().issuer("https://issuer")
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000))
                .claim("mercure", Map.of("publish", List.of("https://example.com/{id}"), "subscribe", List.of("news")));
        Grant grant = policy.publisher(hs256(SECRET, mercure.build()));
        assertTrue(grant.publish().allows("https://example.com/1"));
        assertFalse(grant.publish().allows("news"));
        assertTrue(policy.mayRead(policy.reader(hs256(SECRET, mercure.build())), "news"));
        // Mercure tokens follow ssehub.jwt.issuer, and need exp once readers need credentials.
        assertThrows(AuthFailure.class, () -> policy.publisher(hs256(SECRET, new JWTClaimsSet.Builder()
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).claim("mercure", Map.of()).build())));
        assertThrows(AuthFailure.class, () -> policy.publisher(hs256(SECRET, new JWTClaimsSet.Builder()
                .issuer("https://issuer").claim("mercure", Map.of()).build())));
    }

    @Test
    void mercureRequiresExpOnlyOnceReadersNeedCredentials() {
        assertFalse(config(Map.of()).mercure().requireExp());
        assertTrue(config(Map.of("ssehub.subscribe.auth", "jwt")).mercure().requireExp());
        assertTrue(config(Map.of("ssehub.mercure.anonymous", "false")).mercure().requireExp());
        assertFalse(config(Map.of("ssehub.subscribe.auth", "jwt", "ssehub.mercure.requireExp", "false")).mercure().requireExp());
    }

    @Test
    void theOperationalEndpointsCloseAsSoonAsAnyCredentialIsAsked() {
        assertTrue(policy(Map.of()).opsOpen());
        Map<String, String> guarded = Map.of("ssehub.publish.auth", "apikey", "ssehub.apikeys", ApiKeys.digestOf("k"),
                "ssehub.ops.apikeys", ApiKeys.digestOf("ops"));
        AccessPolicy policy = policy(guarded);
        assertFalse(policy.opsOpen());
        policy.checkOperator("ops");
        assertEquals(AuthFailure.Kind.FORBIDDEN, assertThrows(AuthFailure.class, () -> policy.checkOperator("k")).kind());
        assertEquals(AuthFailure.Kind.MISSING, assertThrows(AuthFailure.class, () -> policy.checkOperator(null)).kind());
        assertEquals(AuthFailure.Kind.INVALID, assertThrows(AuthFailure.class, () -> policy.checkOperator("nope")).kind());
        assertFalse(policy.publisher("k").admin());
        assertThrows(AuthFailure.class, () -> policy.publisher("ops"), "an operator key publishes nothing");
        Map<String, String> open = new HashMap<>(guarded);
        open.put("ssehub.ops.access", "open");
        assertTrue(policy(open).opsOpen());
        assertFalse(policy(Map.of("ssehub.ops.access", "guarded")).opsOpen());
    }

    @Test
    void aRotatedSecretFileTakesOverWithoutARestart() throws Exception {
        Path file = dir.resolve("secret");
        Files.writeString(file, SECRET + "\n");
        AccessPolicy policy = policy(Map.of("ssehub.publish.auth", "jwt", "ssehub.jwt.secret.file", file.toString(),
                "ssehub.mercure.enabled", "false"));
        JWTClaimsSet claims = Tokens.claims("", "", List.of("*"), List.of()).build();
        assertTrue(policy.publisher(hs256(SECRET, claims)).publish().allows("a"));
        String next = "n".repeat(40);
        Files.writeString(file, next);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        policy.refresh();
        assertThrows(AuthFailure.class, () -> policy.publisher(hs256(SECRET, claims)), "the old secret is gone");
        assertTrue(policy.publisher(hs256(next, claims)).publish().allows("a"));
        Files.delete(file);
        policy.refresh();
        assertFalse(policy.healthy());
        assertThrows(AuthFailure.class, () -> policy.publisher(hs256(next, claims)), "an unreadable file keeps nothing");
    }

    @Test
    void secretsAsSystemPropertiesAreNamed() {
        Config.Sources sources = new Config.Sources(k -> null,
                Map.of("ssehub.jwt.secret", SECRET, "ssehub.tick.interval", "1s")::get, k -> null);
        assertEquals(List.of(Setting.JWT_SECRET), sources.secretsInSystemProperties());
    }
}
