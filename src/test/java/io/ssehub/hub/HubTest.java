package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubTest {

    private final AtomicInteger encodes = new AtomicInteger();
    private final Hub hub = new Hub(new FrameEncoder() {
        @Override
        public byte[] encode(Message m, String id) {
            encodes.incrementAndGet();
            return m.data().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] encodeWithTopic(Message m, String id) {
            return (m.topic() + ":" + m.data()).getBytes(StandardCharsets.UTF_8);
        }
    });

    private static Subscriber subscriber(String topic, int capacity) {
        return new Subscriber(topic, capacity, () -> { });
    }

    private static List<Frame> drain(Subscriber s) {
        List<Frame> frames = new ArrayList<>();
        s.drainTo(frames);
        return frames;
    }

    @Test
    void encodesOnceAndOffersTheSameBytesToEverySubscriber() {
        Subscriber a = subscriber("t", 4);
        Subscriber b = subscriber("t", 4);
        hub.subscribe(a);
        hub.subscribe(b);
        PublishResult result = hub.publish(new Message("t", "x"));
        assertEquals(new PublishResult("t", 2, hub.epoch() + "-1"), result);
        assertEquals(1, encodes.get());
        assertSame(drain(a).get(0).bytes(), drain(b).get(0).bytes());
    }

    @Test
    void topicsAreIsolated() {
        Subscriber a = subscriber("a", 4);
        hub.subscribe(a);
        assertEquals(0, hub.publish(new Message("b", "x")).delivered());
        assertTrue(drain(a).isEmpty());
    }

    @Test
    void fullQueueDropsAndCountsAndIsNotDelivered() {
        Subscriber slow = subscriber("t", 2);
        Subscriber fast = subscriber("t", 100);
        hub.subscribe(slow);
        hub.subscribe(fast);
        int[] delivered = new int[5];
        for (int i = 0; i < 5; i++) {
            delivered[i] = hub.publish(new Message("t", "m" + i)).delivered();
        }
        assertEquals(List.of(2, 2, 1, 1, 1), List.of(delivered[0], delivered[1], delivered[2], delivered[3], delivered[4]));
        assertEquals(3, slow.dropped());
        assertEquals(2, drain(slow).size());
        assertEquals(5, drain(fast).size());
    }

    @Test
    void lastUnsubscribeRemovesTheTopic() {
        Subscriber a = subscriber("t", 1);
        hub.subscribe(a);
        hub.subscribe(a);
        assertEquals(1, hub.subscribers());
        assertEquals(1, hub.topics());
        hub.unsubscribe(a);
        hub.unsubscribe(a);
        assertEquals(0, hub.subscribers());
        assertEquals(0, hub.topics());
    }

    @Test
    void aMillionDistinctTopicsLeaveNothingBehind() {
        for (int i = 0; i < 1_000_000; i++) {
            Subscriber s = subscriber("topic-" + i, 1);
            hub.subscribe(s);
            hub.unsubscribe(s);
        }
        assertEquals(0, hub.topics());
    }

    @Test
    void framesArriveInPublishOrder() {
        Subscriber s = subscriber("t", 100);
        hub.subscribe(s);
        for (int i = 0; i < 50; i++) {
            hub.publish(new Message("t", Integer.toString(i)));
        }
        List<Frame> frames = drain(s);
        for (int i = 1; i < frames.size(); i++) {
            assertTrue(frames.get(i).seq() > frames.get(i - 1).seq());
        }
    }

    /**
     * Many threads publish, subscribe and unsubscribe at once. Afterwards the books balance: no
     * subscriber or topic is left, every subscriber saw strictly increasing frames, and every
     * delivery counted was really queued.
     */
    @Test
    void staysConsistentUnderConcurrentPublishSubscribeAndUnsubscribe() throws Exception {
        int threads = 8;
        int rounds = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger received = new AtomicInteger();
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            work.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < rounds; i++) {
                    delivered.addAndGet(hub.publish(new Message("topic-" + (i % 4), "m")).delivered());
                }
                return null;
            }));
            work.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < rounds / 10; i++) {
                    Subscriber s = subscriber("topic-" + ((i + id) % 4), 1_000_000);
                    hub.subscribe(s);
                    Thread.yield();
                    hub.unsubscribe(s);
                    List<Frame> frames = drain(s);
                    for (int f = 1; f < frames.size(); f++) {
                        assertTrue(frames.get(f).seq() > frames.get(f - 1).seq(), "publish order");
                    }
                    received.addAndGet(frames.size());
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : work) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(0, hub.subscribers());
        assertEquals(0, hub.topics());
        assertEquals(delivered.get(), received.get());
    }

    @Test
    void aResetAnnouncedByABackplaneIsTheFrameAStreamOpenerWritesOnEveryKindOfStream() {
        Hub real = new Hub(new io.ssehub.sse.SseEncoder());
        Subscriber single = new Subscriber(List.of("t"), false, 4, OverflowPolicy.DROP, () -> { });
        Subscriber tagged = new Subscriber(List.of("t", "u"), true, 4, OverflowPolicy.DROP, () -> { });
        Subscriber other = subscriber("u", 4);
        real.subscribe(single);
        real.subscribe(tagged);
        real.subscribe(other);
        assertEquals(2, real.announceReset("t", new EventId("e1", 41), new EventId("e2", 7), new EventId("e2", 6)));
        String expected = "id: e2-6\nevent: reset\ndata: {\"lastEventId\":\"e1-41\",\"oldestAvailable\":\"e2-7\"}\n\n";
        assertEquals(expected, new String(drain(single).get(0).bytes(false), StandardCharsets.UTF_8));
        assertEquals(expected, new String(drain(tagged).get(0).bytes(true), StandardCharsets.UTF_8));
        assertEquals(List.of(), drain(other));
        real.announceReset("t", new EventId("e1", 41), null, new EventId("e2", 9));
        assertTrue(new String(drain(single).get(0).bytes(), StandardCharsets.UTF_8).contains("\"oldestAvailable\":null"));
    }
}
