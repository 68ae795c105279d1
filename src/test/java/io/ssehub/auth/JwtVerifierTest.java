package io.ssehub.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.ssehub.testing.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JwtVerifierTest {

    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "ssehub-test";
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final RSAKey RSA = Tokens.rsaKey("rsa-1");
    static final ECKey EC = Tokens.ecKey("ec-1");

    @TempDir
    static Path dir;

    private static JwtVerifier verifier() {
        JwtVerifier.JwtKeys keys = new JwtVerifier.JwtKeys()
                .secret(new Secret(new String(SECRET, StandardCharsets.UTF_8)))
                .publicKey(PemKeys.read(Tokens.write(dir, "rsa.pem", pem(RSA))))
                .jwks(JwksSource.of(Tokens.write(dir, "keys.jwks", Tokens.jwks(EC)).toString()));
        return new JwtVerifier(keys, ISSUER, AUDIENCE, Duration.ZERO, 10, true);
    }

    private static String pem(RSAKey key) {
        try {
            return Tokens.pem(key.toPublicKey());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return Tokens.claims(ISSUER, AUDIENCE, List.of("news.*"), List.of("*"));
    }

    @Test
    void hs256FromTheSecretGrantsTheClaimedTopicsUntilExp() {
        JWTClaimsSet claims = claims().build();
        Grant grant = verifier().verify(Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims));
        assertTrue(grant.publish().allows("news.eu"));
        assertFalse(grant.publish().allows("sport"));
        assertTrue(grant.subscribe().allows("anything"));
        assertEquals(claims.getExpirationTime().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                grant.expires());
    }

    @Test
    void hs384IsAcceptedWithASecretLongEnoughForIt() {
        Grant grant = verifier().verify(Tokens.hmac(JWSAlgorithm.HS384, SECRET, claims().build()));
        assertTrue(grant.publish().allows("news.x"));
    }

    @Test
    void rs256FromThePemKey() {
        assertTrue(verifier().verify(Tokens.rsa(RSA, claims().build())).publish().allows("news.a"));
    }

    @Test
    void es256FromTheJwksFile() {
        assertTrue(verifier().verify(Tokens.ec(EC, claims().build())).publish().allows("news.a"));
    }

    @Test
    void eddsaFromAnEd25519PemKeyAndNothingElseWithIt() throws Exception {
        java.security.KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        java.security.KeyPair other = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path pem = Tokens.write(dir, "ed.pem", Tokens.pem(ed.getPublic()));
        JwtVerifier eddsa = new JwtVerifier(new JwtVerifier.JwtKeys().publicKey(PemKeys.read(pem)), "", "",
                java.time.Duration.ofSeconds(30), 100, true);
        assertTrue(eddsa.verify(ed25519(ed.getPrivate(), claims().build())).publish().allows("news.a"));
        assertThrows(AuthFailure.class, () -> eddsa.verify(ed25519(other.getPrivate(), claims().build())));
        assertThrows(AuthFailure.class, () -> eddsa.verify(Tokens.unsigned(claims().build())));
        byte[] pemAsSecret = Tokens.pem(ed.getPublic()).getBytes(StandardCharsets.US_ASCII);
        assertThrows(AuthFailure.class, () -> eddsa.verify(Tokens.hmac(JWSAlgorithm.HS256, pemAsSecret, claims().build())));
    }

    /** An EdDSA token signed with the JDK's Ed25519, as any standard library would sign it. */
    private static String ed25519(java.security.PrivateKey key, com.nimbusds.jwt.JWTClaimsSet claims) throws Exception {
        String header = com.nimbusds.jose.util.Base64URL.encode("{\"alg\":\"EdDSA\"}").toString();
        String payload = com.nimbusds.jose.util.Base64URL.encode(claims.toString()).toString();
        java.security.Signature signer = java.security.Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + com.nimbusds.jose.util.Base64URL.encode(signer.sign());
    }

    static Stream<Arguments> badTokens() {
        Instant now = Instant.now();
        byte[] rsaPemAsSecret = pem(RSA).getBytes(StandardCharsets.US_ASCII);
        byte[] otherSecret = "another-secret-another-secret-another-secret!!".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                bad("malformed", () -> "not.a.jwt"),
                bad("not even dotted", () -> "garbage"),
                bad("wrong signature", () -> Tokens.hmac(JWSAlgorithm.HS256, otherSecret, claims().build())),
                bad("alg none", () -> Tokens.unsigned(claims().build())),
                bad("HS256 signed with the RSA public key", () -> Tokens.hmac(JWSAlgorithm.HS256, rsaPemAsSecret, claims().build())),
                bad("key brought in the jwk header", () -> Tokens.rsaWithEmbeddedKey(Tokens.rsaKey("evil"), claims().build())),
                bad("RS256 by an unknown key", () -> Tokens.rsa(Tokens.rsaKey("rsa-1"), claims().build())),
                bad("expired", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET,
                        claims().expirationTime(Date.from(now.minusSeconds(5))).build())),
                bad("not yet valid", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET,
                        claims().notBeforeTime(Date.from(now.plusSeconds(60))).build())),
                bad("no exp", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims().expirationTime(null).build())),
                bad("wrong issuer", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims().issuer("https://evil.test").build())),
                bad("wrong audience", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims().audience("other").build())),
                bad("ssehub claim not an object", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims().claim("ssehub", "all").build())),
                bad("star inside a pattern", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET,
                        claims().claim("ssehub", java.util.Map.of("publish", List.of("a*b"))).build())),
                bad("too many patterns", () -> Tokens.hmac(JWSAlgorithm.HS256, SECRET,
                        claims().claim("ssehub", java.util.Map.of("publish", Collections.nCopies(11, "t"))).build())),
                bad("too long", () -> "a".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1)));
    }

    private static Arguments bad(String name, Supplier<String> token) {
        return Arguments.of(name, token);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void badTokensAreInvalid(String name, Supplier<String> token) {
        AuthFailure failure = assertThrows(AuthFailure.class, () -> verifier().verify(token.get()));
        assertEquals(AuthFailure.Kind.INVALID, failure.kind(), name);
    }

    @Test
    void aTokenWithoutTheClaimIsValidButAllowsNothing() {
        Grant grant = verifier().verify(Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims().claim("ssehub", null).build()));
        assertFalse(grant.publish().allows("news.a"));
        assertFalse(grant.subscribe().allows("news.a"));
    }

    @Test
    void aShortSecretIsRefusedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> new JwtVerifier.JwtKeys().secret(new Secret("short")));
    }

    // ---- Mercure's claim and keys: the same verifier, the same rules ----------------------------

    static final String MERCURE_KEY = "!ChangeThisMercureHubJWTSecretKey!";

    private static JwtVerifier mercureVerifier(boolean requireExp) {
        Secret key = new Secret(MERCURE_KEY);
        return new JwtVerifier(new JwtVerifier.JwtKeys().secret(() -> key, JWSAlgorithm.HS256), "", "",
                Duration.ZERO, 2, requireExp);
    }

    private static String mercureToken(Object claim) {
        return Tokens.hmac(JWSAlgorithm.HS256, MERCURE_KEY.getBytes(StandardCharsets.UTF_8),
                new JWTClaimsSet.Builder().claim("mercure", claim).build());
    }

    @Test
    void theMercureClaimGivesSelectorsAndPayload() {
        Grant grant = mercureVerifier(false).verify(mercureToken(java.util.Map.of(
                "publish", List.of("https://example.com/{x}"), "subscribe", List.of("*"), "payload", java.util.Map.of("user", 7))));
        assertTrue(grant.publish().allowsAll(List.of("https://example.com/a", "https://example.com/b")));
        assertFalse(grant.publish().allows("https://other/b"));
        assertTrue(grant.subscribe().allows("anything"));
        assertEquals(java.util.Map.of("user", 7L), grant.payload());
        assertEquals(null, grant.expires(), "no exp, not required: never expires");
        assertFalse(grant.admin());
    }

    @Test
    void bothClaimFormatsInOneTokenAllowWhatEitherAllows() {
        JWTClaimsSet claims = Tokens.claims(ISSUER, AUDIENCE, List.of("news.*"), List.of())
                .claim("mercure", java.util.Map.of("publish", List.of("https://example.com/{id}")))
                .claim("ssehub", java.util.Map.of("publish", List.of("news.*"), "admin", true)).build();
        Grant grant = verifier().verify(Tokens.hmac(JWSAlgorithm.HS256, SECRET, claims));
        assertTrue(grant.publish().allows("news.a"));
        assertTrue(grant.publish().allows("https://example.com/7"));
        assertFalse(grant.publish().allows("sport"));
        assertTrue(grant.admin());
    }

    @Test
    void malformedMercureClaimsWrongKeysAndExpiredTokensAreRefused() {
        JwtVerifier mercure = mercureVerifier(false);
        String none = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + ".e30.";
        for (String bad : List.of("garbage", none,
                Tokens.hmac(JWSAlgorithm.HS256, "another secret that is long enough!!".getBytes(StandardCharsets.UTF_8),
                        new JWTClaimsSet.Builder().claim("mercure", java.util.Map.of()).build()),
                mercureToken(java.util.Map.of("publish", "*")),
                mercureToken(java.util.Map.of("publish", List.of("a", "b", "c"))),
                mercureToken("x"),
                mercureToken(java.util.Map.of("subscribe", List.of("{unclosed"))),
                Tokens.hmac(JWSAlgorithm.HS256, MERCURE_KEY.getBytes(StandardCharsets.UTF_8), new JWTClaimsSet.Builder()
                        .expirationTime(new Date(System.currentTimeMillis() - 60_000)).build()),
                Tokens.hmac(JWSAlgorithm.HS512, (MERCURE_KEY + MERCURE_KEY).getBytes(StandardCharsets.UTF_8),
                        new JWTClaimsSet.Builder().build()))) {
            assertEquals(AuthFailure.Kind.INVALID, assertThrows(AuthFailure.class, () -> mercure.verify(bad), bad).kind());
        }
    }

    @Test
    void expIsOptionalForMercureKeysUnlessRequired() {
        String noExp = mercureToken(java.util.Map.of("subscribe", List.of("*")));
        mercureVerifier(false).verify(noExp);
        assertThrows(AuthFailure.class, () -> mercureVerifier(true).verify(noExp));
    }

    @Test
    void aMercurePublicKeyVerifiesItsOneAlgorithmAndRefusesHmacSignedWithIt() throws Exception {
        JwtVerifier rs256 = new JwtVerifier(new JwtVerifier.JwtKeys().publicKey(RSA.toPublicKey(), JWSAlgorithm.RS256),
                "", "", Duration.ZERO, 10, false);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("mercure", java.util.Map.of("publish", List.of("*"))).build();
        assertTrue(rs256.verify(Tokens.rsa(RSA, claims)).publish().allows("x"));
        String hmacWithPublicKey = Tokens.hmac(JWSAlgorithm.HS256, pem(RSA).getBytes(StandardCharsets.UTF_8), claims);
        assertThrows(AuthFailure.class, () -> rs256.verify(hmacWithPublicKey));
        assertThrows(IllegalArgumentException.class,
                () -> new JwtVerifier.JwtKeys().publicKey(RSA.toPublicKey(), JWSAlgorithm.ES256));
    }
}
