package io.ssehub.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PublishRateTest {

    private final AtomicLong clock = new AtomicLong();

    @Test
    void aPublisherOverItsBurstIsRefusedWithTheWaitForItsNextToken() {
        PublishRate rate = new PublishRate(2, 3, clock::get);
        for (int i = 0; i < 3; i++) {
            rate.take("key:a");
        }
        ProblemException refused = assertThrows(ProblemException.class, () -> rate.take("key:a"));
        assertEquals(429, refused.status());
        assertEquals("1", refused.headers().get("Retry-After"));
        assertDoesNotThrow(() -> rate.take("key:b"), "another publisher has its own bucket");
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // one token at 2 per second
        assertDoesNotThrow(() -> rate.take("key:a"));
        assertThrows(ProblemException.class, () -> rate.take("key:a"));
    }

    @Test
    void aPauseRefillsNoMoreThanTheBurst() {
        PublishRate rate = new PublishRate(1, 2, clock::get);
        clock.addAndGet(TimeUnit.HOURS.toNanos(1));
        rate.take("p");
        rate.take("p");
        assertThrows(ProblemException.class, () -> rate.take("p"));
    }

    @Test
    void offLimitsNobody() {
        for (int i = 0; i < 10_000; i++) {
            PublishRate.OFF.take("p");
        }
    }
}
