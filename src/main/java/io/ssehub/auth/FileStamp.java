package io.ssehub.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * When a file was last changed, and its size: how the files that are re-read on change (API keys,
 * secrets) notice a change; a rewrite within one clock tick still shows in the size.
 */
record FileStamp(FileTime modified, long size) {

    /** The file's stamp now, or {@code null} when it cannot be read (missing, no permission). */
    static FileStamp of(Path file) {
        try {
            return new FileStamp(Files.getLastModifiedTime(file), Files.size(file));
        } catch (IOException e) {
            return null;
        }
    }
}
