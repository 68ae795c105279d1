package io.ssehub.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's configuration table must list every key with its default. */
class ReadmeTest {

    @Test
    void configurationTableListsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Setting setting : Setting.values()) {
            String row = "| `" + setting.key() + "` | `" + setting.defaultValue() + "` |";
            assertTrue(readme.contains(row), "README lacks the row " + row);
        }
    }
}
