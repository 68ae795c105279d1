package io.ssehub.auth;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The origins whose pages may call ssehub from a browser: none (same-origin only, the default),
 * a list ({@code https://app.example.com,https://admin.example.com}), or {@code *} for any page,
 * which is then never sent credentials (cookies or the {@code Authorization} header's answer).
 */
public record CorsPolicy(Set<String> origins, boolean anyOrigin) {

    public static final CorsPolicy SAME_ORIGIN = new CorsPolicy(Set.of(), false);

    /**
     * @throws IllegalArgumentException for an origin that is not {@code scheme://host[:port]}, or
     *                                  {@code *} mixed with other origins
     */
    public static CorsPolicy parse(String value) {
        Set<String> origins = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                origins.add(part.trim());
            }
        }
        if (origins.contains("*")) {
            if (origins.size() > 1) {
                throw new IllegalArgumentException("* stands alone: any origin, without credentials");
            }
            return new CorsPolicy(Set.of(), true);
        }
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : origins) {
            if (!origin.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new IllegalArgumentException("an origin is scheme://host[:port], without a path: " + origin);
            }
            normalized.add(origin.toLowerCase(Locale.ROOT));
        }
        return new CorsPolicy(Set.copyOf(normalized), false);
    }

    public boolean isEnabled() {
        return anyOrigin || !origins.isEmpty();
    }

    /** Whether a page from {@code origin} may read answers. */
    public boolean allows(String origin) {
        return anyOrigin || (origin != null && origins.contains(origin.toLowerCase(Locale.ROOT)));
    }

    /** Whether answers to {@code origin} may carry {@code Access-Control-Allow-Credentials: true}. */
    public boolean allowsCredentials() {
        return !anyOrigin;
    }
}
