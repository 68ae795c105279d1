package io.ssehub.app;

import com.nimbusds.jose.JWSAlgorithm;
import io.ssehub.auth.AccessPolicy;
import io.ssehub.auth.ApiKeys;
import io.ssehub.auth.JwksSource;
import io.ssehub.auth.JwtVerifier;
import io.ssehub.auth.PemKeys;
import io.ssehub.auth.Secret;
import io.ssehub.auth.SecretFile;
import io.ssehub.mercure.MercureSettings;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Builds the one {@link AccessPolicy} from the configuration: reads the API key file, the PEM key,
 * the JWKS and Mercure's keys, and turns every problem into a {@link ConfigException} naming its
 * key, so a broken security setting fails the deployment rather than leaving the hub open or shut
 * by accident.
 *
 * <p>When the Mercure front end is mounted its keys join the policy, and a configuration in which
 * one front end would open what the other guards is refused, naming the keys to set:
 * <ul>
 *   <li>{@code ssehub.publish.auth=none} with a Mercure publisher key: {@code POST /publish}
 *       would let anyone write the topics Mercure publishers need a token for;</li>
 *   <li>{@code ssehub.subscribe.auth=none} with {@code ssehub.mercure.anonymous=false}:
 *       {@code GET /events} would let anyone read what Mercure keeps from readers without a token.</li>
 * </ul>
 */
final class AccessWiring {

    private AccessWiring() {
    }

    /**
     * @param mercure Mercure's settings when its front end is mounted, else {@code null}
     */
    static AccessPolicy policy(Config.Access access, MercureSettings mercure) {
        refuseAmbiguity(access, mercure);
        AccessPolicy.Builder policy = AccessPolicy.builder()
                .publish(access.publish())
                .subscribe(access.subscribe())
                .publicTopics(access.publicTopics());
        if (!access.apiKeys().isEmpty() || !access.apiKeysFile().isEmpty()) {
            load(Setting.APIKEYS, access.apiKeys(), () -> new ApiKeys(access.apiKeys(), null));
            Path file = access.apiKeysFile().isEmpty() ? null : Path.of(access.apiKeysFile());
            policy.apiKeys(load(Setting.APIKEYS_FILE, access.apiKeysFile(), () -> new ApiKeys(access.apiKeys(), file)));
        }
        if (!access.opsApiKeys().isEmpty()) {
            policy.operatorKeys(load(Setting.OPS_APIKEYS, access.opsApiKeys(), () -> ApiKeys.operators(access.opsApiKeys())));
        }
        JwtVerifier.JwtKeys keys = new JwtVerifier.JwtKeys();
        if (!access.jwtSecret().isEmpty()) {
            load(Setting.JWT_SECRET, "", () -> JwtVerifier.JwtKeys.requireStrong(access.jwtSecret()));
            if (access.jwtSecretFile().isEmpty()) {
                keys.secret(access.jwtSecret());
            } else {
                SecretFile rotating = secretFile(Setting.JWT_SECRET_FILE, access.jwtSecretFile());
                policy.secretFile(rotating);
                keys.secret(rotating, null);
            }
        }
        if (!access.jwtPublicKey().isEmpty()) {
            load(Setting.JWT_PUBLIC_KEY, access.jwtPublicKey(),
                    () -> keys.publicKey(PemKeys.read(Path.of(access.jwtPublicKey()))));
        }
        if (!access.jwks().isEmpty()) {
            load(Setting.JWT_JWKS, access.jwks(), () -> keys.jwks(JwksSource.of(access.jwks())));
        }
        policy.jwt(keys.isEmpty() ? null
                : new JwtVerifier(keys, access.issuer(), access.audience(), access.leeway(), access.maxPatterns(), true));
        if (mercure != null) {
            JwtVerifier publisher = mercureVerifier(mercure.publisher(), Setting.MERCURE_PUBLISHER_KEY, access, mercure, policy);
            JwtVerifier subscriber = mercure.subscriber().equals(mercure.publisher()) ? publisher
                    : mercureVerifier(mercure.subscriber(), Setting.MERCURE_SUBSCRIBER_KEY, access, mercure, policy);
            policy.mercure(publisher, subscriber);
        }
        policy.opsOpen(switch (access.opsAccess()) {
            case "open" -> true;
            case "guarded" -> false;
            default -> access.publish().isEmpty() && access.subscribe().isEmpty();
        });
        Setting asking = access.publish().isEmpty() ? Setting.SUBSCRIBE_AUTH : Setting.PUBLISH_AUTH;
        return load(asking, "", policy::build);
    }

    private static void refuseAmbiguity(Config.Access access, MercureSettings mercure) {
        if (mercure == null) {
            return;
        }
        if (access.publish().isEmpty() && !mercure.publisher().key().isEmpty()) {
            throw new ConfigException(Setting.PUBLISH_AUTH, "none", "a method (apikey, jwt or apikey,jwt) while Mercure"
                    + " publishing needs a token (" + Setting.MERCURE_PUBLISHER_KEY.key() + ", or the "
                    + Setting.JWT_SECRET.key() + " or " + Setting.JWT_PUBLIC_KEY.key() + " it falls back to):"
                    + " with none, POST /publish would let anyone write what Mercure guards. Set "
                    + Setting.PUBLISH_AUTH.key() + "=jwt (Mercure's tokens are accepted there too), or "
                    + Setting.MERCURE_ENABLED.key() + "=false");
        }
        if (access.subscribe().isEmpty() && !mercure.anonymous()) {
            throw new ConfigException(Setting.MERCURE_ANONYMOUS, "false", "true while " + Setting.SUBSCRIBE_AUTH.key()
                    + "=none: GET /events would let anyone read what Mercure keeps from readers without a token. Set "
                    + Setting.SUBSCRIBE_AUTH.key() + " (and " + Setting.SUBSCRIBE_PUBLIC.key()
                    + " for what stays public), or " + Setting.MERCURE_ANONYMOUS.key() + "=true");
        }
    }

    /** A verifier of one Mercure key, with the same issuer, audience and leeway as every other token. */
    private static JwtVerifier mercureVerifier(MercureSettings.Key key, Setting setting, Config.Access access,
                                               MercureSettings mercure, AccessPolicy.Builder policy) {
        if (key.key().isEmpty()) {
            return null;
        }
        JWSAlgorithm algorithm = JWSAlgorithm.parse(key.algorithm());
        JwtVerifier.JwtKeys keys = new JwtVerifier.JwtKeys();
        if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
            Secret fixed = new Secret(key.key());
            load(setting, "", () -> JwtVerifier.JwtKeys.requireStrong(fixed));
            Supplier<Secret> current = () -> fixed;
            if (!key.file().isEmpty()) {
                SecretFile rotating = secretFile(setting.fileVariant(), key.file());
                policy.secretFile(rotating);
                current = rotating;
            }
            keys.secret(current, algorithm);
        } else {
            load(setting, "", () -> keys.publicKey(PemKeys.parse(key.key(), setting.key()), algorithm));
        }
        return new JwtVerifier(keys, access.issuer(), access.audience(), access.leeway(), mercure.maxSelectors(),
                mercure.requireExp());
    }

    private static SecretFile secretFile(Setting setting, String path) {
        return load(setting, path, () -> new SecretFile(Path.of(path), setting.key()));
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
