package io.ssehub.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * API keys, known only by their SHA-256 digests: a presented key is hashed and compared with every
 * digest in constant time, so neither the keys nor the timing of a lookup give one away.
 *
 * <p>Digests come from the configuration (comma-separated) and from a file of one digest per line,
 * optionally followed by the comma-separated topic patterns the key is restricted to
 * ({@code 9f86d0… news.*,alerts}); blank lines and lines starting with {@code #} are ignored. The
 * file is read again by {@link #refresh()} when it changes, so removing a line revokes a key.
 *
 * <p>Thread-safe: lookups read an immutable snapshot that a refresh replaces.
 */
public final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
    private static final HexFormat HEX = HexFormat.of();

    private record Entry(byte[] digest, TopicPatterns topics) {
    }

    private final List<Entry> inline;
    private final Path file;
    private volatile List<Entry> entries;
    private volatile FileTime fileStamp;

    /**
     * @param digests comma-separated hex digests, possibly empty
     * @param file    the digest file, or {@code null}
     * @throws IllegalArgumentException for a malformed digest or pattern, naming the line
     * @throws UncheckedIOException     if the file cannot be read
     */
    public ApiKeys(String digests, Path file) {
        List<Entry> parsed = new ArrayList<>();
        for (String digest : digests.split(",")) {
            if (!digest.isBlank()) {
                parsed.add(new Entry(parseDigest(digest.trim()), TopicPatterns.ALL));
            }
        }
        this.inline = List.copyOf(parsed);
        this.file = file;
        this.entries = file == null ? inline : load();
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
     * The grant of a presented key: its topics for both publishing and subscribing, no expiry.
     * Compares with every digest whatever matches, so the time taken does not depend on which.
     */
    public Optional<Grant> find(String key) {
        byte[] presented = sha256(key);
        TopicPatterns found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry.topics();
            }
        }
        return found == null ? Optional.empty() : Optional.of(new Grant(found, found, null));
    }

    /**
     * Reads the file again if it changed since the last read. A file that became unreadable or
     * malformed leaves the keys as they were and is reported once per change.
     */
    public void refresh() {
        if (file == null) {
            return;
        }
        try {
            if (Files.getLastModifiedTime(file).equals(fileStamp)) {
                return;
            }
            entries = load();
            log.info("API key file {} reloaded: {} keys", file, entries.size());
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            fileStamp = currentStamp();
            log.warn("API key file {} not reloaded, keeping the previous keys: {}", file, e.getMessage());
        }
    }

    private List<Entry> load() {
        FileTime stamp = currentStamp();
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
                loaded.add(new Entry(parseDigest(parts[0]), topics));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " of " + file + ": " + e.getMessage());
            }
        }
        fileStamp = stamp;
        return List.copyOf(loaded);
    }

    private FileTime currentStamp() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
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
