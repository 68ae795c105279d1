package io.ssehub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a verification key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}, as
 * {@code openssl pkey -pubout} writes it, or a {@code CERTIFICATE}) and says which JWS algorithms
 * it may verify.
 */
public final class PemKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (PUBLIC KEY|CERTIFICATE)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
    private static final int ED25519_PREFIX = 12;

    private PemKeys() {
    }

    /**
     * @throws IllegalArgumentException if the file holds no RSA, EC or Ed25519 public key
     * @throws UncheckedIOException     if it cannot be read
     */
    public static JWK read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("no PUBLIC KEY or CERTIFICATE block in " + file);
        }
        try {
            if (m.group(1).equals("CERTIFICATE")) {
                X509Certificate certificate = X509CertUtils.parse(m.group(0));
                if (certificate == null) {
                    throw new IllegalArgumentException("unreadable certificate in " + file);
                }
                return toJwk(certificate.getPublicKey());
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            return toJwk(publicKey(der));
        } catch (JOSEException | IllegalArgumentException e) {
            throw new IllegalArgumentException("unusable key in " + file + ": " + e.getMessage());
        }
    }

    /** The algorithms a key verifies; never an HMAC one. */
    static Set<JWSAlgorithm> algorithmsOf(JWK key) {
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        if (key instanceof RSAKey) {
            algorithms.addAll(JWSAlgorithm.Family.RSA);
        } else if (key instanceof ECKey ec) {
            if (ec.getCurve().equals(Curve.P_256)) {
                algorithms.add(JWSAlgorithm.ES256);
            } else if (ec.getCurve().equals(Curve.P_384)) {
                algorithms.add(JWSAlgorithm.ES384);
            } else if (ec.getCurve().equals(Curve.P_521)) {
                algorithms.add(JWSAlgorithm.ES512);
            } else if (ec.getCurve().equals(Curve.SECP256K1)) {
                algorithms.add(JWSAlgorithm.ES256K);
            }
        } else if (key instanceof OctetKeyPair) {
            algorithms.add(JWSAlgorithm.EdDSA);
            algorithms.add(JWSAlgorithm.Ed25519);
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("no JWS algorithm for a " + key.getKeyType() + " key");
        }
        return algorithms;
    }

    private static PublicKey publicKey(byte[] der) {
        for (String type : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException e) {
                // not this type; try the next
            }
        }
        throw new IllegalArgumentException("not an RSA, EC or Ed25519 public key");
    }

    private static JWK toJwk(PublicKey key) throws JOSEException {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("an EC key on a curve JWS does not use");
            }
            return new ECKey.Builder(curve, ec).build();
        }
        if (key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA")) {
            byte[] encoded = key.getEncoded();
            byte[] raw = Arrays.copyOfRange(encoded, ED25519_PREFIX, encoded.length);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(raw)).build();
        }
        throw new IllegalArgumentException("not an RSA, EC or Ed25519 public key");
    }
}
