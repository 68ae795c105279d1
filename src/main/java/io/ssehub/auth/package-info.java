/**
 * Who may publish, read and administer: API keys looked up by their SHA-256 digest, JSON Web
 * Tokens verified with configured keys only (the seed's and Mercure's, one verifier class for
 * both claim formats), the topic rules each grants (prefix patterns, Mercure's selectors and URI
 * templates), secrets re-read from files, and the CORS origin list.
 *
 * <p>{@link io.ssehub.auth.AccessPolicy} is the one decision point: every front end hands it the
 * credential a request presented (already taken out of its header, cookie or query parameter)
 * and gets back a {@link io.ssehub.auth.Grant} or an {@link io.ssehub.auth.AuthFailure}, and asks
 * it what that grant may read, publish and receive. No servlet types here, and nothing here logs
 * a credential, a secret or a key.
 *
 * <p>May use: {@code nimbus-jose-jwt}, SLF4J.
 */
package io.ssehub.auth;
