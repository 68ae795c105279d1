package io.ssehub.sse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that drain streams: a fixed number of lanes, each one thread with its own lock-free
 * queue of ready streams. A stream is given one lane for its whole life ({@link #lane()}, round
 * robin), so its drains always run on the same thread and never queue behind a shared lock.
 *
 * <p>Why not a {@code ThreadPoolExecutor}: a publish to 10,000 subscribers wakes 10,000 streams
 * from one thread; a shared blocking queue takes a lock per task and hands each task to whichever
 * worker wins it. Here a wake is one lock-free enqueue, and a lane's thread is unparked only when
 * it had gone to sleep, so a busy lane takes a whole burst without a single futex call.
 *
 * <p>Threading: {@link Executor#execute} on a lane is safe from any thread. Tasks of one lane run
 * one at a time, in order; a task that throws is logged and the lane goes on. After {@link #shutdown()} new tasks are refused with {@link RejectedExecutionException};
 * queued ones still run, then the threads end.
 */
public final class WriterPool extends AbstractExecutorService {

    private static final Logger log = LoggerFactory.getLogger(WriterPool.class);

    private final Lane[] lanes;
    private final AtomicInteger nextLane = new AtomicInteger();
    private volatile boolean shutdown;

    public WriterPool(int threads, ThreadFactory factory) {
        if (threads < 1) {
            throw new IllegalArgumentException("a writer pool needs at least one thread, was " + threads);
        }
        lanes = new Lane[threads];
        for (int i = 0; i < threads; i++) {
            lanes[i] = new Lane();
        }
        // Every lane is fully built before any thread starts and may look at the pool.
        for (Lane lane : lanes) {
            lane.thread = factory.newThread(lane);
            lane.thread.start();
        }
    }

    /** The lane for a new stream: give it every task of that stream. */
    public Executor lane() {
        return lanes[Math.floorMod(nextLane.getAndIncrement(), lanes.length)];
    }

    /** Runs the task on the next lane; for tasks that need no lane of their own. */
    @Override
    public void execute(Runnable task) {
        lane().execute(task);
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (Lane lane : lanes) {
            LockSupport.unpark(lane.thread);
        }
    }

    /** Stops the lanes as {@link #shutdown()} does and returns the tasks that had not started. */
    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        List<Runnable> left = new ArrayList<>();
        for (Lane lane : lanes) {
            Runnable task;
            while ((task = lane.ready.poll()) != null) {
                left.add(task);
            }
        }
        return left;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        for (Lane lane : lanes) {
            if (lane.thread.isAlive()) {
                return false;
            }
        }
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Lane lane : lanes) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                lane.thread.join(left);
            }
        }
        return isTerminated();
    }

    /** One thread and its queue of tasks. */
    private final class Lane implements Executor, Runnable {

        private final Queue<Runnable> ready = new ConcurrentLinkedQueue<>();
        /** Set by the lane's thread just before it parks; whoever clears it unparks the thread. */
        private final AtomicBoolean sleeping = new AtomicBoolean();
        private Thread thread;

        @Override
        public void execute(Runnable task) {
            if (shutdown) {
                throw new RejectedExecutionException("the writer pool is shut down");
            }
            ready.offer(task);
            if (shutdown && ready.remove(task)) {
                // The pool shut down between the check and the offer, and the lane may have run its
                // last tasks already: the task is refused rather than lost. If it is gone from the
                // queue, the lane (or shutdownNow) has taken it.
                throw new RejectedExecutionException("the writer pool is shut down");
            }
            if (sleeping.get() && sleeping.compareAndSet(true, false)) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (true) {
                runQueued();
                if (shutdown) {
                    runQueued(); // what was offered just before the shutdown was seen
                    return;
                }
                // Announce the sleep, then look once more: a task offered before the announcement
                // is seen here, one offered after it finds the flag and unparks this thread.
                sleeping.set(true);
                if (ready.isEmpty() && !shutdown) {
                    LockSupport.park(this);
                }
                sleeping.set(false);
            }
        }

        private void runQueued() {
            Runnable task;
            while ((task = ready.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    log.error("writer task failed", e);
                }
            }
        }
    }
}
