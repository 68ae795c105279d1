package io.ssehub.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ssehub.hub.Hub;
import io.ssehub.hub.HubObserver;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.StreamObserver;
import io.ssehub.sse.StreamRegistry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hub's own meters, fed by the hub and by every stream. Every meter, tags included, is
 * registered up front, so counting on the hot path is an increment of an existing counter: no
 * lookup, no tag, no allocation.
 *
 * <p>Thread-safe: Micrometer's counters, timers and summaries take concurrent updates.
 */
public final class HubMetrics implements HubObserver, StreamObserver {

    /** What the name of every meter of the hub starts with. */
    static final String PREFIX = "ssehub.";

    private final Counter publishedDelivered;
    private final Counter publishedNoSubscribers;
    private final Counter publishedDropped;
    private final Counter framesDelivered;
    private final Counter droppedQueueFull;
    private final Counter droppedOverflowed;
    private final Counter slowDisconnected;
    private final Counter resumed;
    private final Counter reset;
    private final Counter replayed;
    private final Counter bytesWritten;
    private final Timer publishLatency;
    private final Timer publishToFlush;
    private final DistributionSummary queueDepth;
    private final Map<CloseReason, Counter> closed = new EnumMap<>(CloseReason.class);
    private final Timer streamLifetime;

    public HubMetrics(MeterRegistry registry, Hub hub, StreamRegistry streams) {
        // Strong references: Micrometer's default is weak, and a gauge whose object nobody else
        // holds would read NaN after the next collection.
        Gauge.builder("ssehub.streams.open", streams, StreamRegistry::size).strongReference(true)
                .description("Event streams open now").register(registry);
        Gauge.builder("ssehub.subscribers", hub, Hub::subscribers).strongReference(true)
                .description("Subscriptions now, over all topics (a stream of several topics counts once per topic)")
                .register(registry);
        Gauge.builder("ssehub.topics", hub, Hub::topics).strongReference(true)
                .description("Topics with subscribers or retained history").register(registry);
        Gauge.builder("ssehub.history.retained", hub, Hub::retainedBytes).baseUnit("bytes").strongReference(true)
                .description("Encoded events kept for resuming clients").register(registry);

        publishedDelivered = published(registry, "delivered");
        publishedNoSubscribers = published(registry, "no_subscribers");
        publishedDropped = published(registry, "dropped");
        framesDelivered = Counter.builder("ssehub.frames.delivered")
                .description("Frames queued for a subscriber (one per event and subscriber)").register(registry);
        droppedQueueFull = dropped(registry, "queue_full");
        droppedOverflowed = dropped(registry, "overflowed");
        slowDisconnected = Counter.builder("ssehub.slow.subscribers.disconnected")
                .description("Subscribers whose queue overflowed under the disconnect policy").register(registry);
        resumed = resumes(registry, "resumed");
        reset = resumes(registry, "reset");
        replayed = Counter.builder("ssehub.frames.replayed")
                .description("Frames replayed from history to resuming subscribers").register(registry);
        bytesWritten = Counter.builder("ssehub.stream.written").baseUnit("bytes")
                .description("Bytes written to event streams").register(registry);
        publishLatency = Timer.builder("ssehub.publish.duration")
                .description("Time the hub takes to publish one event: id, encoding, history and fan-out")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        publishToFlush = Timer.builder("ssehub.publish.to.flush")
                .description("Time from an event's publish until the last subscriber that took it has flushed it")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        queueDepth = DistributionSummary.builder("ssehub.queue.depth").baseUnit("frames")
                .description("Frames waiting in a subscriber's queue each time its stream drains it")
                .publishPercentileHistogram()
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(1_000_000.0)
                .register(registry);
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, Counter.builder("ssehub.streams.closed")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .description("Event streams ended, by reason").register(registry));
        }
        streamLifetime = Timer.builder("ssehub.stream.lifetime")
                .description("How long event streams stayed open").register(registry);
    }

    private static Counter published(MeterRegistry registry, String outcome) {
        return Counter.builder("ssehub.events.published").tag("outcome", outcome)
                .description("Events published: delivered to at least one subscriber, to none (no_subscribers), "
                        + "or dropped by every subscriber").register(registry);
    }

    private static Counter dropped(MeterRegistry registry, String reason) {
        return Counter.builder("ssehub.frames.dropped").tag("reason", reason)
                .description("Frames a subscriber did not take: its queue was full, or it had overflowed")
                .register(registry);
    }

    private static Counter resumes(MeterRegistry registry, String result) {
        return Counter.builder("ssehub.resumes").tag("result", result)
                .description("Streams opened from a position in history: resumed without a gap, or reset")
                .register(registry);
    }

    // ---- HubObserver ----------------------------------------------------------------------------

    @Override
    public void published(int subscribers, int delivered, int queueFull, int refused, long nanos) {
        if (delivered > 0) {
            publishedDelivered.increment();
            framesDelivered.increment(delivered);
        } else if (subscribers == 0) {
            publishedNoSubscribers.increment();
        } else {
            publishedDropped.increment();
        }
        if (queueFull > 0) {
            droppedQueueFull.increment(queueFull);
        }
        if (refused > 0) {
            droppedOverflowed.increment(refused);
        }
        publishLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void overflowed() {
        slowDisconnected.increment();
    }

    @Override
    public void resumed(int replayedFrames, boolean wasReset) {
        (wasReset ? reset : resumed).increment();
        if (replayedFrames > 0) {
            replayed.increment(replayedFrames);
        }
    }

    @Override
    public void replayed(int frames) {
        replayed.increment(frames);
    }

    // ---- HubObserver and StreamObserver -------------------------------------------------------

    @Override
    public void flushedByAll(long nanos) {
        publishToFlush.record(nanos, TimeUnit.NANOSECONDS);
    }

    // ---- StreamObserver -----------------------------------------------------------------------

    @Override
    public void drained(int frames) {
        queueDepth.record(frames);
    }

    @Override
    public void written(int bytes) {
        bytesWritten.increment(bytes);
    }

    @Override
    public void closed(CloseReason reason, long lifetimeNanos) {
        closed.get(reason).increment();
        streamLifetime.record(lifetimeNanos, TimeUnit.NANOSECONDS);
    }
}
