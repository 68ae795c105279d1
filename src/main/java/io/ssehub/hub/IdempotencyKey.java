package io.ssehub.hub;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A publisher's promise that repeats of one request are one publish: the key it chose, and a
 * fingerprint of what it asked to publish. A broker that has seen the key answers a repeat with the
 * first publish's ids and publishes nothing; a key sent again with other messages is refused
 * ({@link IdempotencyConflictException}), since answering it with another request's ids would lie.
 *
 * @param key         1 to {@value #MAX_LENGTH} visible ASCII characters, as the publisher sent it
 * @param fingerprint the SHA-256 of the messages, in hex
 */
public record IdempotencyKey(String key, String fingerprint) {

    public static final int MAX_LENGTH = 128;

    public IdempotencyKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /**
     * The key for publishing {@code messages}.
     *
     * @throws IllegalArgumentException if the key is empty, too long, or holds a space, a control or
     *                                  a non-ASCII character (it names a Redis key and a log line)
     */
    public static IdempotencyKey of(String key, List<Message> messages) {
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an idempotency key has 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("an idempotency key is visible ASCII only, without spaces");
            }
        }
        return new IdempotencyKey(key, fingerprint(messages));
    }

    /** Every field of every message, each prefixed by its length so no two requests collide by concatenation. */
    static String fingerprint(List<Message> messages) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Message m : messages) {
                field(digest, m.topic());
                field(digest, m.data());
                field(digest, m.type());
                field(digest, m.retry() == null ? null : m.retry().toString());
                field(digest, String.join("\n", m.alternates()));
                field(digest, m.restricted() ? "private" : "public");
                field(digest, m.customId());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update((byte) 0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) 1);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }
}
