package io.ssehub.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * API keys, known only by their SHA-256 digests: a presented key is hashed and compared with every
 * digest in constant time, so neither the keys nor the timing of a lookup give one away.
 *
 * <p>Digests come from the configuration (comma-separated) and from a file of one digest per line,
 * optionally followed by the comma-separated topic patterns the key is restricted to
 * ({@code 9f86d0… news.*,alerts}); blank lines and lines starting with {@code #} are ignored. The
 * file is read again by {@link #refresh()} when it changes, so removing a line revokes a key: its
 * grants report {@link Grant#isRevoked()} from then on, which closes the streams it opened. A
 * file that becomes unreadable or malformed keeps nothing: every key is refused (and every
 * grant revoked) until the file is right again, and {@link #healthy()} says so.
 *
 * <p>Thread-safe: lookups read an immutable snapshot that a refresh replaces.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final HexFormat HEX = HexFormat.of();

    /** One accepted key; {@link #revoked} turns true when a reload no longer holds it as it was. */
    private static final class Entry {
        final byte[] digest;
        final TopicPatterns topics;
        final Grant grant;
        volatile boolean revoked;

        Entry(byte[] digest, TopicPatterns topics, boolean admin) {
            this.digest = digest;
            this.topics = topics;
            this.grant = new Grant(topics, topics, null, admin, null, () -> revoked,
                    "key:" + HEX.formatHex(digest, 0, 8));
        }

        boolean sameAs(Entry other) {
            return MessageDigest.isEqual(digest, other.digest) && topics.toString().equals(other.topics.toString());
        }
    }

    private final List<Entry> inline;
    private final Path file;
    private volatile List<Entry> entries;
    private volatile FileStamp fileStamp;
    private volatile boolean failed;

    /**
     * @param digests comma-separated hex digests, possibly empty; each allows every topic
     * @param file    the digest file, or {@code null}
     * @throws IllegalArgumentException for a malformed digest or pattern, naming the line
     * @throws UncheckedIOException     if the file cannot be read
     */
    public ApiKeys(String digests, Path file) {
        this(digests, file, false);
    }

    /**
     * @param admin whether the keys open the operational endpoints (and nothing else: they allow no
     *              topic); for {@code ssehub.ops.apikeys}
     */
    public static ApiKeys operators(String digests) {
        return new ApiKeys(digests, null, true);
    }

    private ApiKeys(String digests, Path file, boolean admin) {
        List<Entry> parsed = new ArrayList<>();
        for (String digest : digests.split(",")) {
            if (!digest.isBlank()) {
                parsed.add(new Entry(parseDigest(digest.trim()), admin ? TopicPatterns.NONE : TopicPatterns.ALL, admin));
            }
        }
        this.inline = List.copyOf(parsed);
        this.file = file;
        this.entries = file == null ? inline : List.copyOf(load());
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The lowercase hex SHA-256 digest of a key, as {@code sha256sum} prints it. */
    public static String digestOf(String key) {
        return HEX.formatHex(sha256(key));
    }

    /**
     * The grant of a presented key: its topics for both publishing and subscribing, no expiry,
     * revoked when a reload drops the key. Compares with every digest whatever matches, so the
     * time taken does not depend on which.
     */
    public Optional<Grant> find(String key) {
        byte[] presented = sha256(key);
        Entry found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest, presented) && found == null) {
                found = entry;
            }
        }
        return found == null ? Optional.empty() : Optional.of(found.grant);
    }

    /** False while the key file cannot be read or is malformed: every key is refused meanwhile. */
    public boolean healthy() {
        return !failed;
    }

    /**
     * Reads the file again if it changed since the last read. Keys no longer in it, or whose
     * topics changed, are revoked. A file that became unreadable or malformed revokes and refuses
     * every key, with one error line per change, until a later change makes it right.
     */
    public void refresh() {
        if (file == null) {
            return;
        }
        FileStamp stamp = FileStamp.of(file);
        if (Objects.equals(stamp, fileStamp)) {
            return; // unchanged, or still the broken or missing file reported before
        }
        List<Entry> before = entries;
        try {
            List<Entry> loaded = load();
            for (int i = 0; i < loaded.size(); i++) {
                Entry kept = find(before, loaded.get(i));
                if (kept != null) {
                    loaded.set(i, kept); // an unchanged key keeps its grant, so its streams stay open
                }
            }
            entries = List.copyOf(loaded);
            failed = false;
            revokeMissing(before, entries);
            log.info("API key file {} reloaded: {} keys", file, entries.size());
        } catch (UncheckedIOException | IllegalArgumentException e) {
            fileStamp = stamp;
            failed = true;
            entries = List.of();
            revokeMissing(before, entries);
            log.error("API key file {} cannot be used, so every API key is refused until it is fixed: {}",
                    file, e.getMessage());
        }
    }

    private static Entry find(List<Entry> entries, Entry like) {
        for (Entry entry : entries) {
            if (entry.sameAs(like)) {
                return entry;
            }
        }
        return null;
    }

    private static void revokeMissing(List<Entry> before, List<Entry> after) {
        for (Entry entry : before) {
            if (!after.contains(entry)) {
                entry.revoked = true;
            }
        }
    }

    private List<Entry> load() {
        FileStamp stamp = FileStamp.of(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Entry> loaded = new ArrayList<>(inline);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            try {
                TopicPatterns topics = parts.length == 1 ? TopicPatterns.ALL : TopicPatterns.parse(parts[1]);
                loaded.add(new Entry(parseDigest(parts[0]), topics, false));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " of " + file + ": " + e.getMessage());
            }
        }
        fileStamp = stamp;
        return loaded;
    }

    private static byte[] parseDigest(String hex) {
        if (hex.length() != 64) {
            throw new IllegalArgumentException("an API key digest is 64 hex digits (sha256sum of the key)");
        }
        try {
            return HEX.parseHex(hex.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an API key digest is 64 hex digits (sha256sum of the key)");
        }
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
