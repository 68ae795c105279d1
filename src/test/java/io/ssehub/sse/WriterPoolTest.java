package io.ssehub.sse;

import io.ssehub.testing.Await;
import io.ssehub.testing.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriterPoolTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final List<Thread> made = new ArrayList<>();
    private WriterPool pool;

    private WriterPool pool(int threads) {
        pool = new WriterPool(threads, task -> {
            Thread thread = new Thread(task, "test-writer-" + made.size());
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        });
        return pool;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pool != null) {
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS), "the lanes ended");
        }
    }

    @Test
    void everyTaskFromManyProducersRunsExactlyOnceInItsLanesOrder() throws Exception {
        pool(2);
        int producers = 4;
        int perProducer = 50_000;
        List<Executor> lanes = List.of(pool.lane(), pool.lane(), pool.lane());
        AtomicLongArray runs = new AtomicLongArray(producers * perProducer);
        // Per producer and lane, the last task seen: order within a lane must hold per producer.
        int[][] lastSeen = new int[producers][lanes.size()];
        Set<Thread> threadsOfLane0 = ConcurrentHashMap.newKeySet();
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perProducer; i++) {
                    int index = producer * perProducer + i;
                    int lane = i % lanes.size();
                    int order = i;
                    lanes.get(lane).execute(() -> {
                        runs.incrementAndGet(index);
                        if (lane == 0) {
                            threadsOfLane0.add(Thread.currentThread());
                        }
                        if (order < lastSeen[producer][lane]) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeen[producer][lane] = order;
                    });
                }
            });
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        Await.until(DEADLINE, () -> {
            for (int i = 0; i < runs.length(); i++) {
                if (runs.get(i) == 0) {
                    return false;
                }
            }
            return true;
        }, "every task to run");
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "task " + i + " ran once");
        }
        assertEquals(0, outOfOrder.get(), "tasks of one lane ran in the order they were given");
        assertEquals(1, threadsOfLane0.size(), "one lane is one thread");
    }

    @Test
    void aTaskThatThrowsIsLoggedAndDoesNotStopItsLane() {
        try (LogCapture logs = new LogCapture()) {
            pool(1);
            Executor lane = pool.lane();
            AtomicInteger after = new AtomicInteger();
            lane.execute(() -> {
                throw new IllegalStateException("a failing task (expected in this test)");
            });
            lane.execute(after::incrementAndGet);
            Await.until(DEADLINE, () -> after.get() == 1, "the next task on the same lane");
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("writer task failed")
                    && line.contains("a failing task")), "the failure is logged with its cause");
        }
    }

    @Test
    void shutdownRunsWhatIsQueuedThenRefusesAndEndsEveryThread() throws Exception {
        pool(2);
        Executor lane = pool.lane();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        lane.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        });
        for (int i = 0; i < 100; i++) {
            lane.execute(ran::incrementAndGet);
        }
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> lane.execute(ran::incrementAndGet));
        assertThrows(RejectedExecutionException.class, () -> pool.execute(ran::incrementAndGet));
        release.countDown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertTrue(pool.isTerminated());
        assertEquals(101, ran.get(), "tasks queued before shutdown still ran");
        for (Thread thread : made) {
            assertTrue(!thread.isAlive(), thread.getName() + " ended");
        }
    }

    @Test
    void aSleepingLaneWakesForEachLoneTask() {
        pool(1);
        Executor lane = pool.lane();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 1; i <= 200; i++) {
            lane.execute(ran::incrementAndGet);
            int expected = i;
            // Each task arrives after the lane has drained and gone to sleep again.
            Await.until(DEADLINE, () -> ran.get() == expected, "task " + expected);
        }
    }

    @Test
    void lanesAreHandedOutRoundRobin() {
        pool(3);
        Executor a = pool.lane();
        Executor b = pool.lane();
        Executor c = pool.lane();
        assertTrue(a != b && b != c && a != c);
        assertTrue(pool.lane() == a);
    }

    /**
     * A task offered while the pool shuts down is either run or refused, never lost: a stream whose
     * drain was lost would stay WRITING for ever, and never close.
     */
    @Test
    void aTaskOfferedDuringShutdownIsRunOrRefusedNeverLost() throws Exception {
        for (int round = 0; round < 300; round++) {
            WriterPool racing = new WriterPool(1, task -> {
                Thread thread = new Thread(task, "test-racing-writer");
                thread.setDaemon(true);
                return thread;
            });
            Executor lane = racing.lane();
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            AtomicInteger offered = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread offering = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (true) {
                    offered.incrementAndGet();
                    try {
                        lane.execute(ran::incrementAndGet);
                    } catch (RejectedExecutionException e) {
                        refused.incrementAndGet();
                        return;
                    }
                }
            });
            offering.start();
            go.countDown();
            while (ran.get() < 20 + round % 50) {
                Thread.onSpinWait();
            }
            racing.shutdown();
            offering.join(DEADLINE.toMillis());
            assertTrue(racing.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(offered.get(), ran.get() + refused.get(), "every task ran or was refused, round " + round);
        }
    }
}
