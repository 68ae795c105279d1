package io.ssehub.auth;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A JWKS from an https URL or a file, through nimbus's {@link JWKSourceBuilder}: cached for
 * {@link #CACHE_TTL}, fetched again when a token names a key that is not in the cache (at most
 * once per rate-limit interval), so a rotated key is picked up without a restart.
 */
public final class JwksSource {

    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(15);
    private static final long MAX_FILE_BYTES = 1024 * 1024;

    private JwksSource() {
    }

    /**
     * @param location an {@code https://} URL or a file path
     * @throws IllegalArgumentException for another URL scheme or a missing file
     */
    public static JWKSource<SecurityContext> of(String location) {
        JWKSourceBuilder<SecurityContext> builder;
        if (location.startsWith("https://")) {
            builder = JWKSourceBuilder.create(url(URI.create(location)));
        } else if (location.contains("://")) {
            throw new IllegalArgumentException("a JWKS is an https:// URL or a file path");
        } else {
            Path file = Path.of(location).toAbsolutePath();
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + file);
            }
            builder = JWKSourceBuilder.create(url(file.toUri()), new FileRetriever(file));
        }
        return builder.cache(CACHE_TTL.toMillis(), REFRESH_TIMEOUT.toMillis()).retrying(false).build();
    }

    private static URL url(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
    }

    /** Reads the file afresh on every fetch the cache decides on. */
    private record FileRetriever(Path file) implements ResourceRetriever {
        @Override
        public Resource retrieveResource(URL ignored) throws IOException {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IOException("JWKS file over " + MAX_FILE_BYTES + " bytes");
            }
            return new Resource(Files.readString(file, StandardCharsets.UTF_8), "application/json");
        }
    }
}
