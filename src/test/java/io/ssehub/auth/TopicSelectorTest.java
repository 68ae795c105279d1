package io.ssehub.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicSelectorTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "https://example.com/books/{id}, https://example.com/books/1, true",
            "https://example.com/books/{id}, https://example.com/books/1/2, false",
            "https://example.com/books/{id}, https://example.com/authors/1, false",
            "https://example.com/books/{id}.json, https://example.com/books/7.json, true",
            "https://example.com{/path*}, https://example.com/a/b/c, true",
            "https://example.com{+rest}, https://example.com/a/b?c=d, true",
            "https://example.com/x{?q*}, https://example.com/x?q=1&r=2, true",
            "https://example.com/x{?q*}, https://example.com/x, true",
            "https://example.com/x{#frag}, https://example.com/x#top, true",
            "https://example.com/{a}/{b}, https://example.com/1/2, true",
            "*, anything at all, true",
            "plain, plain, true",
            "plain, Plain, false"})
    void matches(String selector, String topic, boolean expected) {
        assertEquals(expected, TopicSelector.parse(selector).matches(topic));
    }

    @Test
    void literalPartsAreNotRegularExpressions() {
        assertFalse(TopicSelector.parse("https://example.com/a.b/{id}").matches("https://example.com/aXb/1"));
        assertTrue(TopicSelector.parse("(x)[y]/{id}").matches("(x)[y]/1"));
    }

    @Test
    void malformedTemplatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TopicSelector.parse("https://x/{unclosed"));
        assertThrows(IllegalArgumentException.class, () -> TopicSelector.parse("https://x/{}"));
        assertThrows(IllegalArgumentException.class, () -> TopicSelector.parse("https://x/{a{b}}"));
        assertThrows(IllegalArgumentException.class, () -> TopicSelector.parse("https://x/{=reserved}"));
        assertThrows(IllegalArgumentException.class, () -> TopicSelector.parse("{a}".repeat(17)));
    }

    @Test
    void aPathologicalTemplateIsCutOffNotLeftRunning() {
        TopicSelector evil = TopicSelector.parse("{+a}{+b}{+c}{+d}{+e}{+f}{+g}{+h}{+i}{+j}{+k}{+l}!");
        long start = System.nanoTime();
        assertFalse(evil.matches("x".repeat(2000)));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "bounded work");
    }

    @Test
    void aTemplateThatBacktracksWithoutEndIsFoundBeforeItIsUsed() {
        assertTrue(TopicSelector.parse("{+a}{+b}{+c}{+d}{+e}{+f}{+g}{+h}{+i}{+j}{+k}{+l}{+m}{+n}{+o}{+p}Z1").tooCostly(2048));
        assertTrue(TopicSelector.parse("https://example.com/{+a}{+b}{+c}{+d}x").tooCostly(2048));
        for (String fine : new String[] {"https://example.com/books/{id}", "https://example.com/{+path}",
                "https://example.com/b{/path*}{?q}", "{scheme}://{host}/x", "https://x/{file}{.ext}", "*", "exact"}) {
            assertFalse(TopicSelector.parse(fine).tooCostly(2048), fine);
        }
    }

    @Test
    void oneBudgetServesAllTheSelectorsOfASubscription() {
        TopicSelector evil = TopicSelector.parse("{+a}{+b}{+c}{+d}{+e}{+f}{+g}{+h}!");
        MatchBudget budget = MatchBudget.perTopic();
        assertFalse(evil.matches("x".repeat(2000), budget));
        assertTrue(budget.exhausted());
        assertFalse(TopicSelector.parse("{+all}").matches("x", budget), "nothing is left for the next selector");
        assertTrue(TopicSelector.parse("{+all}").matches("x"), "a fresh budget matches");
    }
}
