package io.ssehub.bench.jmh;

import io.ssehub.hub.Frame;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import io.ssehub.hub.Subscriber;
import io.ssehub.sse.SseEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link Hub#publish} to {@code subscribers} queued subscribers of one topic whose sinks do
 * nothing. Every {@value #DRAIN_EVERY} publishes all queues are drained, so they never fill and
 * the drain cost is included, amortised, as a stream writer would pay it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanOutBenchmark {

    static final int DRAIN_EVERY = 64;

    @Param({"1", "100", "1000", "10000"})
    public int subscribers;

    private Hub hub;
    private final List<Subscriber> all = new ArrayList<>();
    private final List<Frame> sink = new ArrayList<>();
    private final Message message = new Message("news", "m:123456:9876543210987");
    private int published;

    @Setup(Level.Trial)
    public void setUp() {
        hub = new Hub(new SseEncoder());
        for (int i = 0; i < subscribers; i++) {
            Subscriber subscriber = new Subscriber("news", DRAIN_EVERY * 2, () -> { });
            all.add(subscriber);
            hub.subscribe(subscriber);
        }
    }

    @Benchmark
    public PublishResult publish() {
        PublishResult result = hub.publish(message);
        if (++published % DRAIN_EVERY == 0) {
            for (Subscriber subscriber : all) {
                subscriber.drainTo(sink);
                sink.clear();
            }
        }
        return result;
    }
}
