package io.ssehub.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {

    @TempDir
    Path dir;

    @Test
    void digestIsWhatSha256sumPrints() {
        // printf %s test | sha256sum
        assertEquals("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", ApiKeys.digestOf("test"));
    }

    @Test
    void inlineDigestsAllowEverythingAndOnlyTheirKeys() {
        ApiKeys keys = new ApiKeys(ApiKeys.digestOf("k1") + " , " + ApiKeys.digestOf("k2").toUpperCase(), null);
        assertTrue(keys.find("k1").orElseThrow().publish().allows("any"));
        assertTrue(keys.find("k2").isPresent());
        assertTrue(keys.find("k3").isEmpty());
        assertTrue(keys.find(ApiKeys.digestOf("k1")).isEmpty(), "the digest itself is not a key");
    }

    @Test
    void fileLinesMayRestrictAKeyToTopics() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "# publishers\n\n" + ApiKeys.digestOf("news") + "  news.*,alerts\n"
                + ApiKeys.digestOf("all") + "\n");
        ApiKeys keys = new ApiKeys("", file);
        Grant news = keys.find("news").orElseThrow();
        assertTrue(news.publish().allows("news.eu"));
        assertTrue(news.subscribe().allows("alerts"));
        assertFalse(news.publish().allows("sport"));
        assertTrue(keys.find("all").orElseThrow().publish().allows("sport"));
        assertEquals(2, keys.size());
    }

    @Test
    void removingALineRevokesTheKeyOnRefresh() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), ApiKeys.digestOf("a") + "\n" + ApiKeys.digestOf("b") + "\n");
        ApiKeys keys = new ApiKeys("", file);
        assertTrue(keys.find("b").isPresent());
        Files.writeString(file, ApiKeys.digestOf("a") + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        keys.refresh();
        assertTrue(keys.find("a").isPresent());
        assertTrue(keys.find("b").isEmpty());
    }

    @Test
    void aBrokenKeyFileKeepsNothingUntilItIsFixed() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), ApiKeys.digestOf("a") + "\n");
        ApiKeys keys = new ApiKeys(ApiKeys.digestOf("inline"), file);
        Grant before = keys.find("a").orElseThrow();
        Files.writeString(file, "not-a-digest\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        keys.refresh();
        assertTrue(keys.find("a").isEmpty(), "no silent fallback to the old keys");
        assertTrue(keys.find("inline").isEmpty(), "every key is refused");
        assertTrue(before.isRevoked(), "what the old key opened is closed");
        assertFalse(keys.healthy());
        Files.writeString(file, ApiKeys.digestOf("a") + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        keys.refresh();
        assertTrue(keys.healthy());
        assertFalse(keys.find("a").orElseThrow().isRevoked());
    }

    @Test
    void aDeletedKeyFileKeepsNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), ApiKeys.digestOf("a") + "\n");
        ApiKeys keys = new ApiKeys("", file);
        Files.delete(file);
        keys.refresh();
        assertTrue(keys.find("a").isEmpty());
        assertFalse(keys.healthy());
    }

    @Test
    void removingALineRevokesItsGrantAndLeavesTheOthers() throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), ApiKeys.digestOf("a") + "\n" + ApiKeys.digestOf("b") + " news.*\n");
        ApiKeys keys = new ApiKeys("", file);
        Grant a = keys.find("a").orElseThrow();
        Grant b = keys.find("b").orElseThrow();
        Files.writeString(file, ApiKeys.digestOf("b") + " news.*\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        keys.refresh();
        assertTrue(a.isRevoked());
        assertFalse(b.isRevoked(), "an unchanged key keeps its streams");
        Files.writeString(file, ApiKeys.digestOf("b") + " sports.*\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
        keys.refresh();
        assertTrue(b.isRevoked(), "a key whose topics changed is revoked too");
    }

    @Test
    void malformedDigestsAreRefusedNamingTheLine() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new ApiKeys("abc", null));
        Path file = Files.writeString(dir.resolve("keys"), ApiKeys.digestOf("a") + "\nzz" + "0".repeat(62) + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ApiKeys("", file));
        assertTrue(e.getMessage().startsWith("line 2 of"), e.getMessage());
    }
}
