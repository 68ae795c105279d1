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
            String value = setting.defaultValue().isEmpty() ? "" : "`" + setting.defaultValue() + "` ";
            String row = "| `" + setting.key() + "` | " + value + "|";
            assertTrue(readme.contains(row), "README lacks the row " + row);
        }
    }
}
