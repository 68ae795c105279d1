package io.ssehub.bench.load;

import io.ssehub.bench.scenario.Measurement;
import io.ssehub.bench.scenario.Params;
import io.ssehub.bench.scenario.ReconnectStormScenario;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconnect storm's counting (g), checked against a hub that resumes faithfully, loses an event
 * on a resumption (silently or with an {@code event: reset}), refuses resumptions with 503, ends
 * resumed streams itself with a {@code retry:} hint, or has no event IDs at all.
 */
class ReconnectStormCountingTest {

    private static final int SUBSCRIBERS = 10;
    private static final MockHub.Fault FAITHFUL = (subscriber, seq) -> 1;

    @Test
    void aFaithfulResumeCountsEveryClientBackWithEveryEvent() throws Exception {
        Measurement m = storm(MockHub.Resume.FAITHFUL);
        assertTrue(m.valid(), m.notes());
        assertEquals(SUBSCRIBERS, (long) m.get("dropped"));
        assertEquals(SUBSCRIBERS, (long) m.get("resumed with id"));
        assertEquals(SUBSCRIBERS, (long) m.get("reconnect attempts"));
        assertEquals(0, (long) m.get("not back"));
        assertEquals(0, (long) m.get("lost"));
        assertEquals(0, (long) m.get("duplicates"));
        assertEquals(0, (long) m.get("503"));
        assertEquals(m.get("published") * SUBSCRIBERS, m.get("received"));
        assertTrue(m.get("reconnect p50 s") > 0 && m.get("reconnect p99 s") >= m.get("reconnect p50 s"));
        assertTrue(m.get("reconnect s") > 0);
        assertTrue(m.get("complete s") >= m.get("reconnect s"), m.figures().toString());
    }

    @Test
    void anEventLostOnResumptionMakesTheStormNotCount() throws Exception {
        Measurement m = storm(new MockHub.Resume(true, 0, 3));
        assertFalse(m.valid(), m.notes());
        assertEquals(1, (long) m.get("lost"));
        assertTrue(Double.isNaN(m.get("complete s")), "that client never has every event");
        assertTrue(m.notes().contains("1 deliveries lost: 1 of 10 subscribers missed messages"), m.notes());
    }

    @Test
    void anEventLostWithAResetIsStillLostAndCountedApart() throws Exception {
        Measurement m = storm(new MockHub.Resume(true, 0, 3, 0, true));
        assertFalse(m.valid(), m.notes());
        assertEquals(1, (long) m.get("lost"));
        assertEquals(1, (long) m.get("lost announced"));
        assertEquals(1, (long) m.get("reset events"));
        assertTrue(m.notes().contains("1 of them announced by an event: reset"), m.notes());
    }

    @Test
    void streamsTheHubEndsAfterTheStormAreResumedAsAnEventSourceDoes() throws Exception {
        Measurement m = storm(new MockHub.Resume(true, 0, -1, 3, false));
        assertTrue(m.valid(), m.notes());
        assertEquals(3, (long) m.get("server closes"));
        assertEquals(3, (long) m.get("re-reconnects"));
        assertEquals(SUBSCRIBERS + 3, (long) m.get("reconnect attempts"));
        assertEquals(0, (long) m.get("lost"));
        assertEquals(0, (long) m.get("duplicates"));
        assertEquals(m.get("published") * SUBSCRIBERS, m.get("received"));
    }

    @Test
    void anEventLostOnResumingAStreamTheHubEndedIsCaught() throws Exception {
        // Resumptions 0 to 9 are the storm's; 10 is the first after the hub ended a stream.
        Measurement m = storm(new MockHub.Resume(true, 0, SUBSCRIBERS, 3, false));
        assertFalse(m.valid(), m.notes());
        assertEquals(3, (long) m.get("server closes"));
        assertEquals(3, (long) m.get("re-reconnects"));
        assertEquals(1, (long) m.get("lost"));
        assertEquals(0, (long) m.get("lost announced"));
        assertTrue(m.notes().contains("1 deliveries lost: 1 of 10 subscribers missed messages"), m.notes());
    }

    @Test
    void refusedResumptionsAreCountedAndRetried() throws Exception {
        Measurement m = storm(new MockHub.Resume(true, 3, -1));
        assertTrue(m.valid(), m.notes());
        assertEquals(3, (long) m.get("503"));
        assertEquals(3, (long) m.get("clients refused"));
        assertEquals(SUBSCRIBERS + 3, (long) m.get("reconnect attempts"));
        assertEquals(0, (long) m.get("lost"));
        assertTrue(m.get("reconnect s") >= 1.0, "a refused client waits a second before it retries");
        assertTrue(m.notes().contains("3 answers 503"), m.notes());
    }

    @Test
    void aHubWithoutIdsCountsOnlyItsReconnectTime() throws Exception {
        Measurement m = storm(new MockHub.Resume(false, 0, -1));
        assertTrue(m.valid(), m.notes());
        assertEquals(0, (long) m.get("resumed with id"));
        assertTrue(Double.isNaN(m.get("lost")));
        assertTrue(Double.isNaN(m.get("complete s")));
        assertTrue(m.get("reconnect s") > 0);
    }

    private static Measurement storm(MockHub.Resume resume) throws Exception {
        try (MockTarget target = new MockTarget(new MockHub(FAITHFUL, resume))) {
            return new ReconnectStormScenario().run(target, new Params(Map.of("g-streams", "" + SUBSCRIBERS,
                    "g-rate", "200", "g-before-seconds", "0.3", "g-after-seconds", "0.3", "g-timeout-seconds", "20",
                    "warmup-seconds", "0.2", "drain-quiet-seconds", "1"), Map.of(), false));
        }
    }
}
