package io.ssehub.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The open-loop publisher keeps its pace when answers are late, and counts every answer once. */
class OpenLoopPublishersTest {

    private static final PublishFormat FORMAT = MockTarget.FORMAT;

    @Test
    void everyAnsweredMessageIsAcknowledgedOnce() throws Exception {
        try (MockHub hub = new MockHub((subscriber, seq) -> 1)) {
            AtomicInteger highest = new AtomicInteger(-1);
            PublishReport report = new OpenLoopPublishers(List.of(hub.address()), FORMAT, "t", 4)
                    .run(20, 200, () -> false, seq -> {
                        assertTrue(seq > highest.get(), "acknowledged out of order: " + seq + " after " + highest);
                        highest.set(seq);
                    });
            MockHub.PublishLog log = hub.publishLog();
            assertEquals(20, report.sent());
            assertEquals(20, report.ok());
            assertEquals(0, report.errors());
            assertEquals(20, report.acked().cardinality());
            assertEquals(19, highest.get());
            assertEquals(20, log.received().cardinality());
            assertEquals(0, log.repeats());
        }
    }

    /** A closed loop would send one message and wait for its answer; this one sends on time on other connections. */
    @Test
    void unansweredMessagesDoNotHoldBackTheNextOnes() throws Exception {
        MockHub hub = new MockHub((subscriber, seq) -> 1);
        CompletableFuture<PublishReport> publishing;
        try {
            hub.holdPublishesFrom(System.nanoTime());
            OpenLoopPublishers publishers = new OpenLoopPublishers(List.of(hub.address()), FORMAT, "t", 4);
            publishing = CompletableFuture.supplyAsync(() -> {
                try {
                    return publishers.run(4, 100, () -> false, seq -> { });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(SubscriberPool.await(() -> hub.publishLog().held() == 4, 10_000),
                    "held: " + hub.publishLog().held());
        } finally {
            hub.close(); // drops the held requests: each answer is then an error
        }
        PublishReport report = publishing.get(60, TimeUnit.SECONDS);
        assertEquals(4, report.sent());
        assertEquals(0, report.ok());
        assertEquals(4, report.errors());
    }
}
