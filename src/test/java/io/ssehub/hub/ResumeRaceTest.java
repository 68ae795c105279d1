package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resume race: while 8 threads publish continuously, 200 subscribers resume from random
 * earlier ids. Each must see, replay then live, a strictly increasing and gap-free sequence from
 * its id onward, checked against the publishers' own record of what they published.
 */
class ResumeRaceTest {

    @Test
    void resumingWhilePublishersRunLosesNothingAndDuplicatesNothing() throws Exception {
        Hub hub = new Hub(new TestEncoder(), new HistoryLimits(1_000_000, Duration.ofHours(1), Long.MAX_VALUE / 4),
                "ep", System::nanoTime);
        ConcurrentMap<Long, Boolean> published = new ConcurrentHashMap<>();
        int perPublisher = 20_000;
        ExecutorService publishers = Executors.newFixedThreadPool(8);
        CountDownLatch warm = new CountDownLatch(8);
        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            work.add(publishers.submit(() -> {
                for (int n = 1; n <= perPublisher; n++) {
                    PublishResult r = hub.publish(new Message("race", "x"));
                    published.put(EventId.parse(r.id()).orElseThrow().seq(), true);
                    if (n == 200) {
                        warm.countDown();
                    }
                }
                return null;
            }));
        }
        warm.await(30, TimeUnit.SECONDS);

        Random random = new Random(42);
        List<Subscriber> subscribers = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long last = EventId.parse(hub.lastEventId()).orElseThrow().seq();
            long from = 1 + (long) (random.nextDouble() * last);
            Subscriber s = new Subscriber(List.of("race"), false, 8 * perPublisher, OverflowPolicy.DROP, () -> { });
            subscriptions.add(hub.subscribe(s, StartPosition.after("ep-" + from)));
            subscribers.add(s);
            starts.add(from);
        }
        for (Future<?> f : work) {
            f.get(30, TimeUnit.SECONDS);
        }
        publishers.shutdown();
        long lastSeq = EventId.parse(hub.lastEventId()).orElseThrow().seq();
        assertEquals(8 * perPublisher, lastSeq);
        assertEquals(lastSeq, published.size(), "ids are unique and dense: the publishers' record is complete");
        assertTrue(starts.stream().anyMatch(s -> s < 8 * perPublisher / 2), "some resumed while publishers ran");

        for (int i = 0; i < subscribers.size(); i++) {
            Subscription subscription = subscriptions.get(i);
            assertNull(subscription.reset(), "history covers everything");
            List<Frame> seen = new ArrayList<>(subscription.replay());
            subscribers.get(i).drainTo(seen);
            long expected = starts.get(i) + 1;
            for (Frame frame : seen) {
                assertEquals(expected, frame.seq(), "subscriber " + i + " resumed after " + starts.get(i));
                assertTrue(published.containsKey(frame.seq()));
                expected++;
            }
            assertEquals(lastSeq + 1, expected, "subscriber " + i + " saw everything up to the last event");
        }
    }
}
