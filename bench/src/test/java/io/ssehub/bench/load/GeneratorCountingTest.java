package io.ssehub.bench.load;

import io.ssehub.bench.scenario.FanOutScenario;
import io.ssehub.bench.scenario.Measurement;
import io.ssehub.bench.scenario.Params;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator's counting, checked against a hub that drops and duplicates known messages: the
 * benchmark's figures are only worth something if these numbers come out exact.
 */
class GeneratorCountingTest {

    private static final int SUBSCRIBERS = 10;
    private static final int MESSAGES = 30;

    /** Drops seq 7 for subscriber 3 and seq 20 for every even subscriber; sends 11 and 12 twice to subscriber 5. */
    private static final MockHub.Fault FAULTY = (subscriber, seq) -> {
        if ((subscriber == 3 && seq == 7) || (seq == 20 && subscriber % 2 == 0)) {
            return 0;
        }
        if (subscriber == 5 && (seq == 11 || seq == 12)) {
            return 2;
        }
        return 1;
    };
    private static final long DROPPED = 1 + 5;
    private static final long DUPLICATED = 2;

    @Test
    void countsLostAndDuplicateDeliveriesExactly() throws Exception {
        try (MockHub hub = new MockHub(FAULTY);
             SubscriberPool pool = new SubscriberPool(hub.address(), "/events/t", 2, 4)) {
            pool.open(SUBSCRIBERS);
            assertTrue(SubscriberPool.await(() -> pool.connected() == SUBSCRIBERS, 10_000), "all connect");
            PublishDriver driver = new PublishDriver(hub.address(), new MockTarget(hub).publishFormat());
            assertTrue(driver.warmUp("t", () -> pool.warmedUp() == SUBSCRIBERS, 10, 10_000), "all warmed up");

            PublishReport published = driver.openLoop("t", MESSAGES, 500, 4, () -> false, seq -> { });
            long expected = (long) SUBSCRIBERS * MESSAGES;
            // Streams are ordered: once the last message is in, the duplicates before it were counted too.
            assertTrue(SubscriberPool.await(() -> pool.delivered() == expected - DROPPED, 10_000),
                    "deliveries arrive, got " + pool.delivered());
            pool.close();
            SubscriberPool.Tally tally = pool.tally(published.acked());

            assertEquals(MESSAGES, published.ok());
            assertEquals(0, published.errors());
            assertEquals(SUBSCRIBERS, tally.connected());
            assertEquals(expected, tally.expected());
            assertEquals(expected - DROPPED, tally.received());
            assertEquals(DROPPED, tally.lost());
            assertTrue(tally.lossDetail().startsWith("6 of 10 subscribers missed messages; 1 missed ("),
                    tally.lossDetail());
            assertEquals(DUPLICATED, tally.duplicates());
            assertEquals(0, tally.malformed());
            assertEquals(0, tally.unexpected());
            // Each subscriber: one ready event besides the messages.
            assertEquals(SUBSCRIBERS, tally.otherEvents());
            assertEquals(tally.received(), tally.latency().count(), "one latency sample per first receipt");
            assertEquals((double) (expected - DROPPED) / expected, tally.deliveredRatio(), 1e-12);
        }
    }

    @Test
    void aFaultyHubMakesTheScenarioNotCount() throws Exception {
        try (MockTarget target = new MockTarget(new MockHub(FAULTY))) {
            Measurement m = FanOutScenario.latency().run(target, smallA());
            assertFalse(m.valid(), m.notes());
            assertEquals(DROPPED, (long) m.get("lost"));
            assertEquals(DUPLICATED, (long) m.get("duplicates"));
            assertTrue(m.notes().contains("deliveries lost"), m.notes());
        }
    }

    @Test
    void aFaithfulHubGivesRatioOneAndCounts() throws Exception {
        try (MockTarget target = new MockTarget(new MockHub((subscriber, seq) -> 1))) {
            Measurement m = FanOutScenario.latency().run(target, smallA());
            assertTrue(m.valid(), m.notes());
            assertEquals(1.0, m.get("delivered ratio"));
            assertEquals(SUBSCRIBERS * MESSAGES, (long) m.get("received"));
            assertEquals(0, (long) m.get("duplicates"));
            assertTrue(m.get("e2e p99 ms") > 0);
            assertTrue(m.get("e2e max ms") >= m.get("e2e p99 ms"));
        }
    }

    private static Params smallA() {
        return new Params(Map.of("a-subscribers", "" + SUBSCRIBERS, "a-messages", "" + MESSAGES, "a-rate", "500",
                "warmup-seconds", "0.2", "drain-quiet-seconds", "1"), Map.of(), false);
    }
}
