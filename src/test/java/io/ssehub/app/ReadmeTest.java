package io.ssehub.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's configuration table must list every key with its default (an empty default as an empty cell). */
class ReadmeTest {

    @Test
    void configurationTableListsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Setting setting : Setting.values()) {
            String shown = setting.defaultValue().isEmpty() ? "(empty)" : "`" + setting.defaultValue() + "`";
            String row = "| `" + setting.key() + "` | " + shown + " |";
            assertTrue(readme.contains(row), "README lacks the row " + row);
        }
    }
}
