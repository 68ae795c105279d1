package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishRulesTest {

    private final PublishRules rules = new PublishRules(10, 3);

    private InvalidMessageException refused(String topic, String msg, String event, Long retry) {
        return assertThrows(InvalidMessageException.class, () -> rules.message(topic, msg, event, retry));
    }

    @Test
    void aValidMessageKeepsEveryField() {
        Message message = rules.message("a.b~c:d@e", "x\ny", "update", 0L);
        assertEquals(new Message("a.b~c:d@e", "x\ny", "update", 0L), message);
        assertNull(rules.message("t", "m", null, null).type());
        assertEquals(PublishRules.MAX_RETRY_MILLIS, rules.message("t", "m", null, PublishRules.MAX_RETRY_MILLIS).retry());
    }

    @Test
    void eachRefusalNamesItsFieldAndRule() {
        InvalidMessageException missing = refused(null, "m", null, null);
        assertEquals(InvalidMessageException.Rule.REQUIRED, missing.rule());
        assertEquals("topic", missing.field());
        assertEquals("\"msg\" must not be empty", refused("t", "", null, null).getMessage());
        assertEquals(InvalidMessageException.Rule.TOPIC, refused("a b", "m", null, null).rule());
        assertEquals("topic", refused("x".repeat(11), "m", null, null).field());
        assertFalse(refused("x".repeat(11), "m", null, null).getMessage().contains("xxxx"), "never echoes a long value");
        for (String type : List.of("", "e".repeat(65), "a\nb", "a\u2028b", "ready", "reset")) {
            InvalidMessageException e = refused("t", "m", type, null);
            assertEquals(InvalidMessageException.Rule.EVENT, e.rule(), type);
            assertEquals("event", e.field());
        }
        for (long retry : new long[] {-1, PublishRules.MAX_RETRY_MILLIS + 1, Long.MAX_VALUE}) {
            assertEquals("retry", refused("t", "m", null, retry).field());
        }
    }

    @Test
    void theFieldsAreJudgedInTheOrderOfPostPublish() {
        assertEquals("topic", refused(null, null, "ready", -1L).field());
        assertEquals("msg", refused("a b", null, "ready", -1L).field(), "both required fields before syntax");
        assertEquals("topic", refused("a b", "m", "ready", -1L).field());
        assertEquals("event", refused("t", "m", "ready", -1L).field());
    }

    @Test
    void aBatchCarriesOneToMaxAndAnItemsRefusalNamesItsIndex() {
        assertEquals(3, rules.batchSize(3));
        assertEquals(InvalidMessageException.Rule.BATCH, assertThrows(InvalidMessageException.class, () -> rules.batchSize(0)).rule());
        assertThrows(InvalidMessageException.class, () -> rules.batchSize(4));
        InvalidMessageException item = refused("t", "m", "ready", null).at(2);
        assertEquals(2, item.index());
        assertTrue(item.getMessage().startsWith("item 2: \"event\""), item.getMessage());
        assertEquals(-1, refused("t", "m", "ready", null).index());
    }

    @Test
    void theQuotaRefusesOnlyANewTopicOnAFullHub() {
        Hub hub = new Hub(new TestEncoder(), new HistoryLimits(5, Duration.ofMinutes(1), 1 << 20), "e", System::nanoTime);
        TopicQuota quota = new TopicQuota(hub, 1);
        quota.check(List.of("a"));
        hub.publish(new Message("a", "x"));
        quota.check(List.of("a"));
        assertEquals(1, assertThrows(TopicLimitException.class, () -> quota.check(List.of("a", "b"))).max());
    }

    @Test
    void waitingForTheBrokerRethrowsARefusalAndWrapsAFailure() {
        assertEquals("x", Broker.await(CompletableFuture.completedFuture("x")));
        DuplicateIdException duplicate = new DuplicateIdException(false);
        assertSame(duplicate, assertThrows(DuplicateIdException.class,
                () -> Broker.await(CompletableFuture.failedFuture(duplicate))));
        BrokerUnavailableException failed = assertThrows(BrokerUnavailableException.class,
                () -> Broker.await(CompletableFuture.failedFuture(new IllegalStateException("down"))));
        assertFalse(failed.interrupted());
        Thread.currentThread().interrupt();
        try {
            assertTrue(assertThrows(BrokerUnavailableException.class, () -> Broker.await(new CompletableFuture<>())).interrupted());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
    }
}
