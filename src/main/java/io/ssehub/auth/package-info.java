/**
 * Who may publish and subscribe: API keys looked up by their SHA-256 digest, JSON Web Tokens
 * verified with configured keys only, the topic patterns each grants, and the CORS origin list.
 *
 * <p>{@link io.ssehub.auth.AccessPolicy} is the door: the web front end hands it the credential a
 * request presented (already taken out of its header, cookie or query parameter) and gets back a
 * {@link io.ssehub.auth.Grant} or an {@link io.ssehub.auth.AuthFailure}. No servlet types here, and
 * nothing here logs a credential, a secret or a key.
 *
 * <p>May use: {@code nimbus-jose-jwt}, SLF4J.
 */
package io.ssehub.auth;
