package io.ssehub.web;

import io.ssehub.http.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "news", "A-Z.a_z~0:9@x", "user:42@tenant-1"})
    void acceptsTheSeedCharset(String topic) {
        assertEquals(topic, TopicName.check(topic, 200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a/b", "a\nb", "a\rb", "é", "a\"b", "a%b", "a#b", "a?b", "\u0000"})
    void refusesEverythingElse(String topic) {
        ProblemException e = assertThrows(ProblemException.class, () -> TopicName.check(topic, 200));
        assertEquals(400, e.status());
    }

    @Test
    void enforcesTheMaximumLengthWithoutEchoingTheValue() {
        TopicName.check("x".repeat(200), 200);
        ProblemException e = assertThrows(ProblemException.class, () -> TopicName.check("x".repeat(201), 200));
        assertFalse(e.detail().contains("xxxx"));
    }
}
