package io.ssehub.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.util.Set;

/**
 * Verifies {@code EdDSA} (Ed25519) JWS signatures for nimbus-jose-jwt with the JDK's own Ed25519
 * signature (Java 15+), so EdDSA needs no extra crypto library. Everything else about the token
 * (parsing, algorithm allowlist, claims) stays nimbus's.
 */
final class Ed25519JdkVerifier implements JWSVerifier {

    /** nimbus's factory, plus this verifier for an Ed25519 public key. */
    static final class Factory extends DefaultJWSVerifierFactory {
        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
            if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && key instanceof EdECPublicKey ed) {
                return new Ed25519JdkVerifier(ed);
            }
            return super.createJWSVerifier(header, key);
        }
    }

    private final EdECPublicKey key;
    private final JCAContext context = new JCAContext();

    Ed25519JdkVerifier(EdECPublicKey key) {
        if (!"Ed25519".equals(key.getParams().getName())) {
            throw new IllegalArgumentException("only Ed25519 keys verify EdDSA tokens here");
        }
        this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("an Ed25519 key verifies EdDSA only, not " + header.getAlgorithm());
        }
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(key);
            ed25519.update(signingInput);
            return ed25519.verify(signature.decode());
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a bad signature
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return context;
    }
}
