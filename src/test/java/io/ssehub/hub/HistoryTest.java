package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryTest {

    private final AtomicLong clock = new AtomicLong();

    private Hub hub(int perTopic, Duration maxAge, long maxBytes) {
        return new Hub(new TestEncoder(), new HistoryLimits(perTopic, maxAge, maxBytes), "ep", clock::get);
    }

    private static List<String> replayIds(Hub hub, String topic, StartPosition from) {
        Subscriber s = new Subscriber(List.of(topic), false, 10, OverflowPolicy.DROP, () -> { });
        Subscription subscription = hub.subscribe(s, from);
        hub.unsubscribe(s);
        return subscription.replay().stream().map(Frame::id).toList();
    }

    @Test
    void idsAreEpochDashSequence() {
        Hub hub = hub(10, Duration.ofMinutes(1), 1000);
        assertEquals("ep-1", hub.publish(new Message("a", "x")).id());
        assertEquals("ep-2", hub.publish(new Message("b", "x")).id());
        assertEquals("ep-2", hub.lastEventId());
    }

    @Test
    void evictsByCountPerTopicOldestFirst() {
        Hub hub = hub(3, Duration.ofMinutes(1), 1_000_000);
        for (int i = 0; i < 5; i++) {
            hub.publish(new Message("a", "m" + i));
        }
        hub.publish(new Message("b", "other"));
        assertEquals(List.of("ep-3", "ep-4", "ep-5"), replayIds(hub, "a", StartPosition.EARLIEST));
        assertEquals(List.of("ep-6"), replayIds(hub, "b", StartPosition.EARLIEST));
        assertEquals(3, hub.topic("a").orElseThrow().retained());
    }

    @Test
    void evictsByAge() {
        Hub hub = hub(100, Duration.ofSeconds(10), 1_000_000);
        hub.publish(new Message("a", "old"));
        clock.addAndGet(Duration.ofSeconds(6).toNanos());
        hub.publish(new Message("a", "newer"));
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        hub.expire();
        assertEquals(List.of("ep-2"), replayIds(hub, "a", StartPosition.EARLIEST));
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        hub.expire();
        assertEquals(0, hub.topics(), "a topic with neither subscribers nor history is removed");
    }

    @Test
    void evictsTheHubWideOldestWhenOverTheByteBudget() {
        long each = cost("a", "aaaa"); // a, b and c alike: ids, topics and data of one length
        long longer = cost("c", "0123456789");
        Hub hub = hub(100, Duration.ofMinutes(1), 2 * each + each / 2);
        hub.publish(new Message("a", "aaaa"));
        hub.publish(new Message("b", "bbbb"));
        hub.publish(new Message("a", "cccc"));   // three over a budget of two and a half: ep-1 goes
        assertEquals(2 * each, hub.retainedBytes());
        assertEquals(List.of("ep-3"), replayIds(hub, "a", StartPosition.EARLIEST));
        assertEquals(List.of("ep-2"), replayIds(hub, "b", StartPosition.EARLIEST));
        hub.publish(new Message("c", "0123456789")); // the oldest, b's, goes
        assertEquals(each + longer, hub.retainedBytes());
        assertTrue(hub.topic("b").isEmpty());
    }

    @Test
    void theBudgetCountsTheMessageAndItsCopiesNotOnlyTheEncodedFrame() {
        long small = cost("a", "x");
        long big = cost("a", "x".repeat(1000));
        long wide = cost("a", "\u20ac".repeat(1000));
        assertTrue(small > 200, "a one-byte message still holds a frame, a message, strings and an entry: " + small);
        // Each character is in the data string, the frame and the reserved multi-topic frame.
        assertTrue(big - small >= 3 * 990, "counted " + (big - small));
        assertTrue(wide - big >= 1000, "a string outside Latin-1 takes two bytes a character");
    }

    private static long cost(String topic, String data) {
        Message message = new Message(topic, data);
        TestEncoder encoder = new TestEncoder();
        return new Frame(1, "ep-1", message, encoder.encode(message, "ep-1"), 0, encoder).heapBytes();
    }

    @Test
    void resumeReplaysWhatFollowsTheId() {
        Hub hub = hub(100, Duration.ofMinutes(1), 1_000_000);
        for (int i = 0; i < 5; i++) {
            hub.publish(new Message("a", "m" + i));
        }
        Subscriber s = new Subscriber(List.of("a"), false, 10, OverflowPolicy.DROP, () -> { });
        Subscription subscription = hub.subscribe(s, StartPosition.after("ep-3"));
        assertNull(subscription.reset());
        assertEquals(List.of("ep-4", "ep-5"), subscription.replay().stream().map(Frame::id).toList());
        assertEquals("ep-3", subscription.startsAfter());
    }

    @Test
    void resumeReportsAResetWhenTheGapIsNoLongerRetained() {
        Hub hub = hub(2, Duration.ofMinutes(1), 1_000_000);
        for (int i = 0; i < 5; i++) {
            hub.publish(new Message("a", "m" + i));
        }
        Subscriber s = new Subscriber(List.of("a"), false, 10, OverflowPolicy.DROP, () -> { });
        Subscription subscription = hub.subscribe(s, StartPosition.after("ep-1"));
        assertEquals(new Subscription.Reset("ep-1", "ep-4"), subscription.reset());
        assertEquals(List.of("ep-4", "ep-5"), subscription.replay().stream().map(Frame::id).toList());
        assertEquals("ep-3", subscription.startsAfter());
    }

    /** What a full queue dropped is read back from history, exactly that run, over several topics too. */
    @Test
    void aGapOfAFullQueueIsReadBackFromHistory() {
        Hub hub = hub(100, Duration.ofMinutes(1), 1_000_000);
        Subscriber s = new Subscriber(List.of("a", "b"), false, 2, OverflowPolicy.DROP, () -> { });
        hub.subscribe(s);
        for (int i = 0; i < 6; i++) {
            hub.publish(new Message(i % 2 == 0 ? "a" : "b", "m" + i));
            hub.publish(new Message("other", "not this subscriber's"));
        }
        Subscriber.Gap gap = s.takeGap();
        assertEquals(4, gap.count());
        List<Frame> lost = hub.retainedGap(s, gap);
        assertEquals(List.of("m2", "m3", "m4", "m5"), lost.stream().map(f -> f.message().data()).toList());
        assertEquals(gap.first().seq(), lost.get(0).seq());
        assertEquals(gap.last().seq(), lost.get(3).seq());
    }

    /** Once history has let go of any of the run, nothing is read back: the loss is reported instead. */
    @Test
    void aGapNoLongerWhollyRetainedIsNotReadBack() {
        Hub hub = hub(3, Duration.ofMinutes(1), 1_000_000);
        Subscriber s = new Subscriber(List.of("a"), false, 1, OverflowPolicy.DROP, () -> { });
        hub.subscribe(s);
        for (int i = 0; i < 6; i++) {
            hub.publish(new Message("a", "m" + i));
        }
        Subscriber.Gap gap = s.takeGap();
        assertEquals(5, gap.count()); // m1 to m5; history holds m3 to m5
        assertNull(hub.retainedGap(s, gap));
    }

    @Test
    void foreignEpochOrUnknownIdMeansReset() {
        Hub hub = hub(10, Duration.ofMinutes(1), 1_000_000);
        hub.publish(new Message("a", "m"));
        for (String id : List.of("other-1", "ep-99", "garbage", "ep-", "-5")) {
            Subscriber s = new Subscriber(List.of("a"), false, 10, OverflowPolicy.DROP, () -> { });
            Subscription subscription = hub.subscribe(s, StartPosition.after(id));
            assertNotNull(subscription.reset(), id);
            assertEquals(id, subscription.reset().requested());
            assertEquals(List.of("ep-1"), subscription.replay().stream().map(Frame::id).toList());
            hub.unsubscribe(s);
        }
    }

    @Test
    void resumeOnATopicThatLostEventsBeforeItWasRemovedIsAReset() {
        Hub hub = hub(10, Duration.ofSeconds(1), 1_000_000);
        hub.publish(new Message("a", "m"));             // ep-1
        clock.addAndGet(Duration.ofSeconds(2).toNanos());
        hub.expire();                                    // ep-1 forgotten, topic a removed
        hub.publish(new Message("z", "m"));             // ep-2
        Subscriber s = new Subscriber(List.of("a"), false, 10, OverflowPolicy.DROP, () -> { });
        assertNotNull(hub.subscribe(s, StartPosition.after("ep-0")).reset());
    }

    @Test
    void withoutHistoryAnEventPublishedToNobodyIsALossForResumers() {
        Hub hub = hub(0, Duration.ofMinutes(1), 1_000_000);
        hub.publish(new Message("a", "m"));
        Subscriber s = new Subscriber(List.of("a"), false, 10, OverflowPolicy.DROP, () -> { });
        Subscription subscription = hub.subscribe(s, StartPosition.after("ep-0"));
        assertNotNull(subscription.reset());
        assertNull(subscription.reset().oldestAvailable());
        assertEquals("ep-1", subscription.startsAfter());
    }

    @Test
    void multiTopicReplayIsInIdOrder() {
        Hub hub = hub(10, Duration.ofMinutes(1), 1_000_000);
        hub.publish(new Message("a", "1"));
        hub.publish(new Message("b", "2"));
        hub.publish(new Message("c", "3"));
        hub.publish(new Message("a", "4"));
        Subscriber s = new Subscriber(List.of("a", "b"), true, 10, OverflowPolicy.DROP, () -> { });
        Subscription subscription = hub.subscribe(s, StartPosition.EARLIEST);
        assertEquals(List.of("ep-1", "ep-2", "ep-4"), subscription.replay().stream().map(Frame::id).toList());
    }

    @Test
    void disconnectPolicyRefusesEverythingAfterTheFirstOverflowAndTellsTheSinkOnce() {
        Hub hub = hub(10, Duration.ofMinutes(1), 1_000_000);
        AtomicLong told = new AtomicLong();
        Subscriber s = new Subscriber(List.of("a"), false, 2, OverflowPolicy.DISCONNECT, new Subscriber.Sink() {
            @Override
            public void framesAvailable() {
            }

            @Override
            public void overflowed() {
                told.incrementAndGet();
            }
        });
        hub.subscribe(s);
        int delivered = 0;
        for (int i = 0; i < 5; i++) {
            delivered += hub.publish(new Message("a", "m")).delivered();
        }
        assertEquals(2, delivered);
        assertEquals(1, told.get());
        assertTrue(s.overflowed());
    }

    /**
     * Which retained frames a resuming subscriber accepts is decided outside the hub's lock: a
     * subscriber whose selectors are slow to match (or, here, that waits for a publish while it
     * decides) holds up no publish, and still gets every event once, replayed or live.
     */
    @Test
    void aSubscriberSlowToDecideWhatItAcceptsHoldsUpNoPublishWhileItsReplayIsWorkedOut() throws Exception {
        Hub hub = hub(10, Duration.ofHours(1), 1 << 20);
        hub.publish(new Message("slow", "retained 0"));
        hub.publish(new Message("slow", "retained 1"));
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        try {
            AtomicBoolean publishedMeanwhile = new AtomicBoolean();
            Subscriber s = Subscriber.matching(message -> {
                if (publishedMeanwhile.compareAndSet(false, true)) {
                    try {
                        publisher.submit(() -> hub.publish(new Message("slow", "live"))).get(5, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError("a publish waited for the subscriber to decide", e);
                    }
                }
                return true;
            }, 10, OverflowPolicy.DROP, () -> { });
            Subscription subscription = hub.subscribe(s, StartPosition.EARLIEST);
            assertEquals(List.of("retained 0", "retained 1"),
                    subscription.replay().stream().map(f -> f.message().data()).toList());
            List<Frame> live = new ArrayList<>();
            s.drainTo(live);
            assertEquals(List.of("live"), live.stream().map(f -> f.message().data()).toList());
        } finally {
            publisher.shutdownNow();
        }
    }
}
