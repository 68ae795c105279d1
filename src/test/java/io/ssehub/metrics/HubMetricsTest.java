package io.ssehub.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ssehub.hub.Frame;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;
import io.ssehub.hub.OverflowPolicy;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscriber;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.SseEncoder;
import io.ssehub.sse.StreamRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Hub hub = new Hub(new SseEncoder(), new HistoryLimits(100, Duration.ofMinutes(1), 1 << 20),
            "ep", System::nanoTime);
    private final HubMetrics metrics = new HubMetrics(registry, hub, new StreamRegistry());

    HubMetricsTest() {
        hub.observeWith(metrics);
    }

    private double value(String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(registry.scrape());
        assertTrue(m.find(), "no series " + series + " in\n" + registry.scrape());
        return Double.parseDouble(m.group(1));
    }

    private static Subscriber subscriber(String topic, int capacity, OverflowPolicy policy) {
        return new Subscriber(List.of(topic), false, capacity, policy, () -> { });
    }

    @Test
    void publishesAreCountedByOutcomeAndFramesByFate() {
        Subscriber roomy = subscriber("t", 10, OverflowPolicy.DROP);
        Subscriber tiny = subscriber("t", 1, OverflowPolicy.DROP);
        hub.subscribe(roomy);
        hub.subscribe(tiny);
        hub.publish(new Message("t", "1"));
        hub.publish(new Message("t", "2")); // tiny's queue is full
        hub.publish(new Message("nobody", "3"));

        assertEquals(2, value("ssehub_events_published_total{outcome=\"delivered\"}"));
        assertEquals(1, value("ssehub_events_published_total{outcome=\"no_subscribers\"}"));
        assertEquals(0, value("ssehub_events_published_total{outcome=\"dropped\"}"));
        assertEquals(3, value("ssehub_frames_delivered_total"));
        assertEquals(1, value("ssehub_frames_dropped_total{reason=\"queue_full\"}"));
        assertEquals(3, value("ssehub_publish_duration_seconds_count"));
        assertEquals(2, value("ssehub_subscribers"));
        assertEquals(2, value("ssehub_topics"));
    }

    @Test
    void aSlowSubscriberUnderDisconnectIsCountedOnceAndItsRefusalsAsDrops() {
        Subscriber slow = subscriber("d", 1, OverflowPolicy.DISCONNECT);
        hub.subscribe(slow);
        hub.publish(new Message("d", "1"));
        hub.publish(new Message("d", "2"));
        hub.publish(new Message("d", "3"));

        assertEquals(1, value("ssehub_slow_subscribers_disconnected_total"));
        assertEquals(2, value("ssehub_frames_dropped_total{reason=\"overflowed\"}"));
        assertEquals(2, value("ssehub_events_published_total{outcome=\"dropped\"}"));
    }

    @Test
    void resumesAndResetsAreCountedWithTheFramesReplayed() {
        String first = hub.publish(new Message("r", "1")).id();
        hub.publish(new Message("r", "2"));
        hub.subscribe(subscriber("r", 10, OverflowPolicy.DROP), StartPosition.after(first));
        hub.subscribe(subscriber("r", 10, OverflowPolicy.DROP), StartPosition.after("other-1"));
        hub.subscribe(subscriber("r", 10, OverflowPolicy.DROP), StartPosition.LIVE);

        assertEquals(1, value("ssehub_resumes_total{result=\"resumed\"}"));
        assertEquals(1, value("ssehub_resumes_total{result=\"reset\"}"));
        assertEquals(3, value("ssehub_frames_replayed_total"));
    }

    @Test
    void publishToFlushIsRecordedOnceWhenTheLastSubscriberFlushes() {
        Subscriber a = subscriber("f", 10, OverflowPolicy.DROP);
        Subscriber b = subscriber("f", 10, OverflowPolicy.DROP);
        hub.subscribe(a);
        hub.subscribe(b);
        hub.publish(new Message("f", "x"));

        assertEquals(0, value("ssehub_publish_to_flush_seconds_count"));
        flush(a);
        assertEquals(0, value("ssehub_publish_to_flush_seconds_count"), "b has not flushed yet");
        flush(b);
        assertEquals(1, value("ssehub_publish_to_flush_seconds_count"));
    }

    @Test
    void aFlushThatBeatsTheEndOfFanOutIsStillRecordedOnce() {
        List<Frame> taken = new ArrayList<>();
        Subscriber[] eager = new Subscriber[1];
        // Flushes the moment its frame is queued, while the hub is still fanning out.
        eager[0] = new Subscriber(List.of("e"), false, 10, OverflowPolicy.DROP, () -> {
            eager[0].drainTo(taken);
            taken.forEach(frame -> {
                if (frame.flushed()) {
                    metrics.flushedByAll(1);
                }
            });
        });
        hub.subscribe(eager[0]);
        hub.publish(new Message("e", "x"));

        assertEquals(1, value("ssehub_publish_to_flush_seconds_count"));
    }

    private void flush(Subscriber subscriber) {
        List<Frame> frames = new ArrayList<>();
        subscriber.drainTo(frames);
        metrics.drained(frames.size());
        for (Frame frame : frames) {
            if (frame.flushed()) {
                metrics.flushedByAll(System.nanoTime() - frame.publishedNanos());
            }
        }
    }

    @Test
    void streamsAreCountedByCloseReasonAndBytes() {
        metrics.written(100);
        metrics.written(23);
        metrics.closed(CloseReason.SHUTDOWN, 5_000_000);
        metrics.drained(3);

        assertEquals(123, value("ssehub_stream_written_bytes_total"));
        assertEquals(1, value("ssehub_streams_closed_total{reason=\"shutdown\"}"));
        assertEquals(0, value("ssehub_streams_closed_total{reason=\"client_gone\"}"));
        assertEquals(1, value("ssehub_queue_depth_frames_count"));
        assertEquals(3, value("ssehub_queue_depth_frames_sum"));
        assertEquals(0, value("ssehub_streams_open"));
    }

    /** Micrometer holds a gauge's object weakly by default; the registry here is referenced by nothing else. */
    @Test
    void gaugesKeepTheirObjectsAlive() {
        System.gc(); // clears weak references
        assertEquals(0, value("ssehub_streams_open"));
        assertEquals(0, value("ssehub_subscribers"));
    }

    @Test
    void theEndpointAddsJvmAndProcessMetrics() throws Exception {
        try (PrometheusEndpoint endpoint = new PrometheusEndpoint(hub(), new StreamRegistry())) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            endpoint.scrape(out);
            String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
            for (String name : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                    "process_uptime_seconds", "ssehub_streams_open")) {
                assertTrue(text.contains("\n" + name) || text.startsWith(name), name + " missing");
            }
        }
    }

    @Test
    void aHostsRegistryGetsTheHubsMetersButNotTheJvmsAndLosesThemOnClose() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry host = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        host.config().commonTags("application", "shop"); // as Spring Boot's management.metrics.tags do
        host.counter("shop.orders");
        StreamRegistry streams = new StreamRegistry();
        PrometheusEndpoint endpoint = new PrometheusEndpoint(hub(), streams, host);
        assertEquals(0, host.get("ssehub.streams.open").tag("application", "shop").gauge().value());
        assertTrue(host.find("jvm.memory.used").meters().isEmpty(), "the host counts its JVM itself");
        endpoint.close();
        assertTrue(host.find("ssehub.streams.open").meters().isEmpty(), "nothing of ours left after an undeploy");
        assertEquals(1, host.find("shop.orders").meters().size(), "the host's own meters stay");
        assertTrue(!host.isClosed(), "the host's registry is the host's to close");
    }

    private static Hub hub() {
        return new Hub(new SseEncoder());
    }
}
