package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IdempotencyKeysTest {

    private final AtomicLong now = new AtomicLong();
    private final IdempotencyKeys keys = new IdempotencyKeys(Duration.ofSeconds(10), 3, now::get);
    private final AtomicInteger publishes = new AtomicInteger();
    private final List<Message> body = List.of(new Message("t", "m"));

    private List<PublishResult> publish() {
        return List.of(new PublishResult("t", 2, "e-" + publishes.incrementAndGet()));
    }

    @Test
    void aRetryWithTheSameKeyCannotPublishTwiceAndGetsTheFirstId() {
        IdempotencyKey key = IdempotencyKey.of("k1", body);
        assertEquals(List.of(new PublishResult("t", 2, "e-1")), keys.once(key, this::publish));
        assertEquals(List.of(new PublishResult("t", 0, "e-1")), keys.once(key, this::publish));
        assertEquals(1, publishes.get());
    }

    @Test
    void aKeyReusedForAnotherBodyCannotBorrowItsIds() {
        keys.once(IdempotencyKey.of("k1", body), this::publish);
        IdempotencyKey other = IdempotencyKey.of("k1", List.of(new Message("t", "other")));
        assertThrows(IdempotencyConflictException.class, () -> keys.once(other, this::publish));
        assertEquals(1, publishes.get());
    }

    @Test
    void aKeyIsForgottenAfterItsTtl() {
        IdempotencyKey key = IdempotencyKey.of("k1", body);
        keys.once(key, this::publish);
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertEquals("e-2", keys.once(key, this::publish).get(0).id());
    }

    @Test
    void endlessFreshKeysCannotGrowMemoryPastTheCapacity() {
        for (int i = 0; i < 100; i++) {
            keys.once(IdempotencyKey.of("k" + i, body), this::publish);
        }
        assertEquals(3, keys.size());
    }

    @Test
    void aPublishThatFailedCanBeRetriedWithItsKey() {
        IdempotencyKey key = IdempotencyKey.of("k1", body);
        assertThrows(IllegalStateException.class, () -> keys.once(key, () -> {
            throw new IllegalStateException("refused");
        }));
        assertEquals("e-1", keys.once(key, this::publish).get(0).id());
    }

    @Test
    void aKeyWithControlCharactersOrSpacesOrTooLongIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of("a\nb", body));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of("a b", body));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of("", body));
        assertThrows(IllegalArgumentException.class, () -> IdempotencyKey.of("x".repeat(129), body));
    }

    @Test
    void fieldsCannotBeShiftedBetweenMessagesToFakeTheSameFingerprint() {
        assertEquals(false, IdempotencyKey.fingerprint(List.of(new Message("ab", "c")))
                .equals(IdempotencyKey.fingerprint(List.of(new Message("a", "bc")))));
    }
}
