package io.ssehub.app;

import io.ssehub.auth.AccessPolicy;
import io.ssehub.auth.ApiKeys;
import io.ssehub.auth.JwksSource;
import io.ssehub.auth.JwtVerifier;
import io.ssehub.auth.PemKeys;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Builds the {@link AccessPolicy} from the configuration: reads the API key file, the PEM key and
 * the JWKS, and turns every problem into a {@link ConfigException} naming its key, so a broken
 * security setting fails the deployment rather than leaving the hub open or shut by accident.
 */
final class AccessWiring {

    private AccessWiring() {
    }

    static AccessPolicy policy(Config.Access access) {
        ApiKeys apiKeys = null;
        if (!access.apiKeys().isEmpty() || !access.apiKeysFile().isEmpty()) {
            load(Setting.APIKEYS, access.apiKeys(), () -> new ApiKeys(access.apiKeys(), null));
            Path file = access.apiKeysFile().isEmpty() ? null : Path.of(access.apiKeysFile());
            apiKeys = load(Setting.APIKEYS_FILE, access.apiKeysFile(), () -> new ApiKeys(access.apiKeys(), file));
        }
        JwtVerifier.JwtKeys keys = new JwtVerifier.JwtKeys();
        if (!access.jwtSecret().isEmpty()) {
            load(Setting.JWT_SECRET, "", () -> keys.secret(access.jwtSecret()));
        }
        if (!access.jwtPublicKey().isEmpty()) {
            load(Setting.JWT_PUBLIC_KEY, access.jwtPublicKey(),
                    () -> keys.publicKey(PemKeys.read(Path.of(access.jwtPublicKey()))));
        }
        if (!access.jwks().isEmpty()) {
            load(Setting.JWT_JWKS, access.jwks(), () -> keys.jwks(JwksSource.of(access.jwks())));
        }
        JwtVerifier jwt = keys.isEmpty() ? null
                : new JwtVerifier(keys, access.issuer(), access.audience(), access.leeway(), access.maxPatterns());
        ApiKeys known = apiKeys;
        Setting asking = access.publish().isEmpty() ? Setting.SUBSCRIBE_AUTH : Setting.PUBLISH_AUTH;
        return load(asking, "", () -> new AccessPolicy(access.publish(), access.subscribe(), access.publicTopics(),
                known, jwt));
    }

    private static <T> T load(Setting setting, String value, Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            if (e instanceof ConfigException config) {
                throw config;
            }
            throw new ConfigException(setting, value, e.getMessage());
        }
    }
}
