package io.ssehub.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.util.X509CertUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a verification key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}, as
 * {@code openssl pkey -pubout} writes it, or a {@code CERTIFICATE}) and says which JWS algorithms
 * it may verify. RSA, EC (P-256, P-384, P-521, secp256k1) and Ed25519 keys are supported.
 */
public final class PemKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN (PUBLIC KEY|CERTIFICATE)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private PemKeys() {
    }

    /**
     * @throws IllegalArgumentException if the file holds no RSA, EC or Ed25519 public key
     * @throws UncheckedIOException     if it cannot be read
     */
    public static PublicKey read(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(pem, file.toString());
    }

    /**
     * The key of PEM text, as {@link #read} finds it in a file.
     *
     * @param source where the text came from, for the error message
     * @throws IllegalArgumentException if the text holds no RSA, EC or Ed25519 public key
     */
    public static PublicKey parse(String pem, String source) {
        Matcher m = BLOCK.matcher(pem);
        if (!m.find()) {
            throw new IllegalArgumentException("no PUBLIC KEY or CERTIFICATE block in " + source);
        }
        PublicKey key;
        if (m.group(1).equals("CERTIFICATE")) {
            X509Certificate certificate = X509CertUtils.parse(m.group(0));
            if (certificate == null) {
                throw new IllegalArgumentException("unreadable certificate in " + source);
            }
            key = certificate.getPublicKey();
        } else {
            key = publicKey(Base64.getMimeDecoder().decode(m.group(2)));
        }
        algorithmsOf(key);
        return key;
    }

    /**
     * The algorithms a key verifies; never an HMAC one.
     *
     * @throws IllegalArgumentException for a key no supported algorithm uses
     */
    public static Set<JWSAlgorithm> algorithmsOf(PublicKey key) {
        if (key instanceof RSAPublicKey) {
            return JWSAlgorithm.Family.RSA;
        }
        if (key instanceof java.security.interfaces.EdECPublicKey ed && "Ed25519".equals(ed.getParams().getName())) {
            return Set.of(JWSAlgorithm.EdDSA);
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (Curve.P_256.equals(curve)) {
                return Set.of(JWSAlgorithm.ES256);
            } else if (Curve.P_384.equals(curve)) {
                return Set.of(JWSAlgorithm.ES384);
            } else if (Curve.P_521.equals(curve)) {
                return Set.of(JWSAlgorithm.ES512);
            } else if (Curve.SECP256K1.equals(curve)) {
                return Set.of(JWSAlgorithm.ES256K);
            }
        }
        throw new IllegalArgumentException("not an RSA key, an EC key on P-256, P-384, P-521 or secp256k1, or an Ed25519 key");
    }

    private static PublicKey publicKey(byte[] der) {
        for (String type : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this type; try the next
            }
        }
        throw new IllegalArgumentException("not an RSA, EC or Ed25519 public key");
    }
}
