package io.ssehub.mercure;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ssehub.http.ProblemException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MercureTokensTest {

    static final String SECRET = "!ChangeThisMercureHubJWTSecretKey!";

    static String hs256(String secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    static JWTClaimsSet mercure(Map<String, Object> claim) {
        return new JWTClaimsSet.Builder().claim("mercure", claim).build();
    }

    @Test
    void readsThePublishAndSubscribeSelectorsAndThePayload() throws Exception {
        MercureTokens tokens = new MercureTokens(SECRET, "HS256", false, 10);
        MercureTokens.Claims claims = tokens.verify(hs256(SECRET, mercure(Map.of(
                "publish", List.of("https://example.com/{x}"), "subscribe", List.of("*"), "payload", Map.of("user", 7)))));
        assertTrue(claims.mayPublishAll(List.of("https://example.com/a", "https://example.com/b")));
        assertTrue(!claims.mayPublishAll(List.of("https://example.com/a", "https://other/b")));
        assertTrue(claims.maySubscribeAny(List.of("anything")));
        assertEquals(Map.of("user", 7L), claims.payload());
    }

    @Test
    void refusesWrongKeysAlgorithmsAndShapes() throws Exception {
        MercureTokens tokens = new MercureTokens(SECRET, "HS256", false, 2);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + ".e30.";
        for (String bad : List.of("", "garbage", none,
                hs256("another secret that is long enough!!", mercure(Map.of())),
                hs256(SECRET, mercure(Map.of("publish", "*"))),
                hs256(SECRET, mercure(Map.of("publish", List.of("a", "b", "c")))),
                hs256(SECRET, new JWTClaimsSet.Builder().claim("mercure", "x").build()),
                hs256(SECRET, new JWTClaimsSet.Builder().expirationTime(new Date(System.currentTimeMillis() - 60_000)).build()))) {
            ProblemException e = assertThrows(ProblemException.class, () -> tokens.verify(bad), bad);
            assertEquals(401, e.status());
        }
    }

    @Test
    void expIsOptionalUnlessRequired() throws Exception {
        String noExp = hs256(SECRET, mercure(Map.of("subscribe", List.of("*"))));
        new MercureTokens(SECRET, "HS256", false, 10).verify(noExp);
        assertThrows(ProblemException.class, () -> new MercureTokens(SECRET, "HS256", true, 10).verify(noExp));
    }

    @Test
    void verifiesRs256WithAPemKeyAndRefusesHmacSignedWithIt() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        MercureTokens tokens = new MercureTokens(pem, "RS256", false, 10);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), mercure(Map.of("publish", List.of("*"))));
        jwt.sign(new RSASSASigner(pair.getPrivate()));
        assertTrue(tokens.verify(jwt.serialize()).mayPublishAll(List.of("x")));
        String hmacWithPublicKey = hs256(pem, mercure(Map.of("publish", List.of("*"))));
        assertThrows(ProblemException.class, () -> tokens.verify(hmacWithPublicKey));
    }

    @Test
    void withoutAKeyEveryTokenIsRefused() {
        assertThrows(ProblemException.class, () -> new MercureTokens("", "HS256", false, 10).verify("a.b.c"));
    }
}
