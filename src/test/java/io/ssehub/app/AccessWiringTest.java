package io.ssehub.app;

import io.ssehub.auth.AccessPolicy;
import io.ssehub.auth.ApiKeys;
import io.ssehub.auth.AuthFailure;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The security settings: open by default, and every broken setting fails the deployment naming its key. */
class AccessWiringTest {

    private static AccessPolicy policy(Map<String, String> params) {
        return AccessWiring.policy(Config.load(new Config.Sources(params::get, k -> null, k -> null)).access());
    }

    private static String failure(Map<String, String> params) {
        return assertThrows(ConfigException.class, () -> policy(params)).getMessage();
    }

    @Test
    void everythingIsOpenByDefault() {
        AccessPolicy policy = policy(Map.of());
        assertTrue(policy.publishIsOpen());
        assertTrue(policy.subscribeIsOpen(List.of("any")));
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
    }

    @Test
    void aShortSecretFailsWithoutShowingIt() {
        String message = failure(Map.of("ssehub.jwt.secret", "hunter2-short"));
        assertTrue(message.contains("ssehub.jwt.secret"), message);
        assertFalse(message.contains("hunter2"), message);
        String logged = Config.load(new Config.Sources(Map.of("ssehub.jwt.secret", "hunter2-" + "x".repeat(40))::get,
                k -> null, k -> null)).toString();
        assertFalse(logged.contains("hunter2"), "the configuration is logged at startup");
    }

    @Test
    void apiKeysWithPublicTopics() {
        AccessPolicy policy = policy(Map.of("ssehub.publish.auth", "apikey", "ssehub.subscribe.auth", "apikey",
                "ssehub.subscribe.public", "public.*", "ssehub.apikeys", ApiKeys.digestOf("k")));
        assertTrue(policy.subscribeIsOpen(List.of("public.a")));
        assertFalse(policy.subscribeIsOpen(List.of("public.a", "private")));
        assertTrue(policy.subscriber("k", List.of("public.a", "private")).subscribe().allows("private"));
        assertEquals(AuthFailure.Kind.MISSING,
                assertThrows(AuthFailure.class, () -> policy.publisher(null)).kind());
        assertEquals(AuthFailure.Kind.INVALID,
                assertThrows(AuthFailure.class, () -> policy.publisher("wrong")).kind());
    }
}
