package io.ssehub.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A secret kept in a file (a {@code *.file} setting, such as a mounted Kubernetes or Docker
 * secret), so it appears on no command line and in no process listing. Read at start, and read
 * again by {@link #refresh()} when the file changes, so a secret can be rotated without a
 * restart. Surrounding whitespace (the newline an editor adds) is not part of the secret. A file
 * that becomes unreadable or empty keeps nothing: {@link #get()} gives {@code null}, so no token
 * verifies with it, and {@link #healthy()} is false until the file is right again.
 *
 * <p>Thread-safe.
 */
public final class SecretFile implements Supplier<Secret> {

    private static final Logger log = LoggerFactory.getLogger(SecretFile.class);

    private final Path file;
    private final String name;
    private volatile Secret current;
    private volatile FileStamp stamp;

    /**
     * @param name the setting it came from, for log lines (never the secret)
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it is empty
     */
    public SecretFile(Path file, String name) {
        this.file = file;
        this.name = name;
        this.stamp = FileStamp.of(file);
        this.current = read(file);
    }

    /** The secret now, or {@code null} while the file cannot be used. */
    @Override
    public Secret get() {
        return current;
    }

    public boolean healthy() {
        return current != null;
    }

    /** Reads the file again if it changed since the last read. */
    public void refresh() {
        FileStamp now = FileStamp.of(file);
        if (Objects.equals(now, stamp)) {
            return;
        }
        stamp = now;
        try {
            current = read(file);
            log.info("{} re-read from {}", name, file);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            current = null;
            log.error("{} cannot be read from {}, so no token verifies with it until the file is fixed: {}",
                    name, file, e.getMessage());
        }
    }

    /** The secret a file holds, without surrounding whitespace. */
    public static Secret read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return new Secret(text);
    }
}
