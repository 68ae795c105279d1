package io.ssehub.auth;

import java.nio.charset.StandardCharsets;

/** A configured secret; {@link #toString()} never shows it, so logging a configuration is safe. */
public record Secret(String value) {

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return value.isEmpty() ? "(none)" : "(secret)";
    }
}
