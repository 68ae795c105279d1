package io.ssehub.auth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicPatternsTest {

    @Test
    void exactTopicsAndPrefixes() {
        TopicPatterns p = TopicPatterns.parse("alerts, news.*");
        assertTrue(p.allows("alerts"));
        assertFalse(p.allows("alerts2"));
        assertTrue(p.allows("news.eu"));
        assertTrue(p.allows("news."));
        assertFalse(p.allows("news"));
        assertTrue(p.allowsAll(List.of("alerts", "news.x")));
        assertFalse(p.allowsAll(List.of("alerts", "sport")));
    }

    @Test
    void starAloneIsEverythingAndNothingIsNothing() {
        assertTrue(TopicPatterns.parse("*").allows("x"));
        assertFalse(TopicPatterns.parse("").allows("x"));
        assertFalse(TopicPatterns.NONE.allows(""));
    }

    @Test
    void aStarOnlyEndsAPattern() {
        assertThrows(IllegalArgumentException.class, () -> TopicPatterns.parse("a*b"));
        assertThrows(IllegalArgumentException.class, () -> TopicPatterns.of(List.of("")));
    }
}
