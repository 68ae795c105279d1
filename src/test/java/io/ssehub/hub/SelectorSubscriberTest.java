package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Updates with alternate topics, restricted updates, publisher ids, and subscribers of every topic. */
class SelectorSubscriberTest {

    private final Hub hub = new Hub(new TestEncoder(), new HistoryLimits(100, Duration.ofMinutes(1), 1_000_000), "ep", System::nanoTime);

    private static Message update(String topic, List<String> alternates, boolean restricted, String id) {
        return new Message(topic, "d", null, null, alternates, restricted, id);
    }

    private static List<String> drained(Subscriber s) {
        List<Frame> frames = new ArrayList<>();
        s.drainTo(frames);
        return frames.stream().map(Frame::id).toList();
    }

    @Test
    void anUpdateWithSeveralMatchingTopicsIsDeliveredOncePerSubscriber() {
        Subscriber both = new Subscriber(List.of("a", "b"), false, 10, OverflowPolicy.DROP, () -> { });
        Subscriber everything = Subscriber.matching(m -> true, 10, OverflowPolicy.DROP, () -> { });
        hub.subscribe(both);
        hub.subscribe(everything);
        assertEquals(2, hub.publish(update("a", List.of("b"), false, null)).delivered());
        assertEquals(List.of("ep-1"), drained(both));
        assertEquals(List.of("ep-1"), drained(everything));
    }

    @Test
    void restrictedUpdatesNeverReachSeedSubscribersAndReachSelectorSubscribersThatAccept() {
        Subscriber seed = new Subscriber("a", 10, () -> { });
        Subscriber authorised = Subscriber.matching(m -> true, 10, OverflowPolicy.DROP, () -> { });
        Subscriber publicOnly = Subscriber.matching(Subscriber.PUBLIC_ONLY, 10, OverflowPolicy.DROP, () -> { });
        hub.subscribe(seed);
        hub.subscribe(authorised);
        hub.subscribe(publicOnly);
        assertEquals(1, hub.publish(update("a", List.of(), true, null)).delivered());
        assertEquals(List.of(), drained(seed));
        assertEquals(List.of("ep-1"), drained(authorised));
        assertEquals(List.of(), drained(publicOnly));
    }

    @Test
    void publisherIdsAreUniqueAndResumable() {
        hub.publish(update("a", List.of(), false, "urn:one"));
        hub.publish(update("a", List.of(), false, null));
        assertThrows(DuplicateIdException.class, () -> hub.publish(update("a", List.of(), false, "urn:one")));
        Subscriber s = Subscriber.matching(m -> true, 10, OverflowPolicy.DROP, () -> { });
        Subscription subscription = hub.subscribe(s, StartPosition.after("urn:one"));
        assertNull(subscription.reset());
        assertEquals(List.of("ep-2"), subscription.replay().stream().map(Frame::id).toList());
    }

    @Test
    void aSubscriberOfEveryTopicReplaysAcrossTopicsInIdOrderAndOnlyWhatItAccepts() {
        hub.publish(update("a", List.of(), false, null));
        hub.publish(update("b", List.of("a"), false, null));
        hub.publish(update("c", List.of(), true, null));
        hub.publish(update("d", List.of(), false, null));
        Subscriber s = Subscriber.matching(Subscriber.PUBLIC_ONLY, 10, OverflowPolicy.DROP, () -> { });
        Subscription subscription = hub.subscribe(s, StartPosition.EARLIEST);
        assertEquals(List.of("ep-1", "ep-2", "ep-4"), subscription.replay().stream().map(Frame::id).toList());
        Subscriber late = Subscriber.matching(Subscriber.PUBLIC_ONLY, 10, OverflowPolicy.DROP, () -> { });
        assertNotNull(hub.subscribe(late, StartPosition.after("unknown")).reset());
    }

    @Test
    void aSelectorIsMatchedOutsideTheHubsLock() throws Exception {
        java.util.concurrent.CountDownLatch matching = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Subscriber slow = Subscriber.matching(m -> {
            if (m.topic().equals("slow")) {
                matching.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return true;
        }, 10, OverflowPolicy.DROP, () -> { });
        hub.subscribe(slow);
        Thread publisher = new Thread(() -> hub.publish(update("slow", List.of(), false, null)));
        publisher.start();
        assertTrue(matching.await(10, java.util.concurrent.TimeUnit.SECONDS));
        // While one publisher's selector match is stuck, the hub still publishes and subscribes.
        assertEquals(1, hub.publish(update("fast", List.of(), false, null)).delivered());
        Subscriber late = Subscriber.matching(m -> true, 10, OverflowPolicy.DROP, () -> { });
        hub.subscribe(late);
        release.countDown();
        publisher.join(10_000);
        assertEquals(List.of("ep-1", "ep-2"), drained(slow).stream().sorted().toList());
        assertEquals(List.of("ep-2"), drained(late), "registered after the match, before the fan-out: decided there");
    }
}
