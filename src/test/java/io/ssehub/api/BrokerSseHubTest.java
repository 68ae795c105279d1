package io.ssehub.api;

import io.ssehub.http.InFlight;
import io.ssehub.hub.Broker;
import io.ssehub.hub.Frame;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.IdempotencyKey;
import io.ssehub.hub.IdempotencyKeys;
import io.ssehub.hub.Hub;
import io.ssehub.hub.LocalBroker;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import io.ssehub.hub.PublishRules;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscriber;
import io.ssehub.hub.Subscription;
import io.ssehub.hub.TopicInfo;
import io.ssehub.hub.TopicQuota;
import io.ssehub.sse.SseEncoder;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java API on a real hub and local broker, with the limits of a small configuration. */
class BrokerSseHubTest {

    private static final int MAX_TOPIC_LENGTH = 20;
    private static final int MAX_BATCH = 3;
    private static final int MAX_TOPICS = 4;

    private final Hub hub = new Hub(new SseEncoder(), new HistoryLimits(10, Duration.ofMinutes(5), 1 << 20),
            Hub.newEpoch(), System::nanoTime);
    private final InFlight publishes = new InFlight();
    private final SseHub api = over(new LocalBroker(hub, new IdempotencyKeys(Duration.ofMinutes(1), 100, System::nanoTime)));

    private SseHub over(Broker broker) {
        return new BrokerSseHub(hub, broker, new PublishRules(MAX_TOPIC_LENGTH, MAX_BATCH),
                new TopicQuota(hub, MAX_TOPICS), publishes::enter, publishes::exit);
    }

    private Subscriber subscribe(String topic) {
        Subscriber subscriber = new Subscriber(topic, 100, () -> { });
        hub.subscribe(subscriber);
        return subscriber;
    }

    private static List<Frame> drain(Subscriber subscriber) {
        List<Frame> frames = new ArrayList<>();
        subscriber.drainTo(frames);
        return frames;
    }

    private static String wire(Frame frame) {
        return new String(frame.bytes(), StandardCharsets.UTF_8);
    }

    /** Nothing was published: no id was given since {@code before}. */
    private void assertNothingPublishedSince(String before) {
        assertEquals(before, hub.lastEventId());
    }

    private IllegalArgumentException refused(Publication publication) {
        String before = hub.lastEventId();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> api.publish(publication));
        assertNothingPublishedSince(before);
        return e;
    }

    @Test
    void aHostRetryingWithItsIdempotencyKeyCannotPublishTwice() {
        Subscriber subscriber = subscribe("orders");
        List<Publication> batch = List.of(new Publication("orders", "a", null, null), new Publication("orders", "b", null, null));
        List<Receipt> first = api.publishAll(batch, "commit-42");
        List<Receipt> again = api.publishAll(batch, "commit-42");
        assertEquals(first.stream().map(Receipt::id).toList(), again.stream().map(Receipt::id).toList());
        assertEquals(List.of(0, 0), again.stream().map(Receipt::delivered).toList());
        assertEquals(2, drain(subscriber).size());
        assertThrows(IllegalArgumentException.class, () -> api.publishAll(List.of(new Publication("orders", "c", null, null)), "commit-42"));
        assertThrows(IllegalArgumentException.class, () -> api.publishAll(batch, "two words"));
        assertEquals(List.of(), drain(subscriber));
    }

    @Test
    void aPublishGetsTheNextIdAndCountsThisNodesSubscribers() {
        Subscriber first = subscribe("orders");
        Subscriber second = subscribe("orders");
        Receipt one = api.publish("orders", "{\"id\":1}");
        Receipt two = api.publish("orders", "{\"id\":2}", "created", Duration.ofMillis(2500));
        assertEquals(new Receipt("orders", 2, hub.epoch() + "-1"), one);
        assertEquals(new Receipt("orders", 2, hub.epoch() + "-2"), two);
        assertEquals(0, api.publish("elsewhere", "x").delivered());

        List<Frame> frames = drain(first);
        assertEquals(List.of(one.id(), two.id()), frames.stream().map(Frame::id).toList());
        assertEquals("id: " + one.id() + "\ndata: {\"id\":1}\n\n", wire(frames.get(0)));
        assertEquals("id: " + two.id() + "\nevent: created\nretry: 2500\ndata: {\"id\":2}\n\n", wire(frames.get(1)));
        assertEquals(2, drain(second).size());
    }

    @Test
    void idsIncreaseAcrossSinglePublishesAndBatches() {
        List<Receipt> receipts = new ArrayList<>();
        receipts.add(api.publish("a", "1"));
        receipts.addAll(api.publishAll(List.of(new Publication("b", "2"), new Publication("a", "3"))));
        receipts.add(api.publish(new Publication("b", "4")));
        List<Long> seqs = receipts.stream().map(r -> Long.parseLong(r.id().substring(r.id().lastIndexOf('-') + 1))).toList();
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs);
        assertEquals(List.of("a", "b", "a", "b"), receipts.stream().map(Receipt::topic).toList());
    }

    @Test
    void theTopicShowsWhatWasPublishedAndWhoListens() {
        assertEquals(Optional.empty(), api.topic("orders"));
        subscribe("orders");
        api.publish("orders", "x");
        api.publish("orders", "y");
        Receipt last = api.publish("orders", "z");
        assertEquals(Optional.of(new TopicStatus("orders", 1, last.id(), 3)), api.topic("orders"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> api.topic("a/b"));
        assertTrue(bad.getMessage().contains("A-Z a-z 0-9"), bad.getMessage());
    }

    @Test
    void aBadTopicIsRefusedNamingIt() {
        for (String topic : new String[] {"a b", "a/b", "é", "x".repeat(MAX_TOPIC_LENGTH + 1)}) {
            IllegalArgumentException e = refused(new Publication(topic, "m"));
            assertTrue(e.getMessage().contains("topic"), e.getMessage());
        }
        assertEquals("\"topic\" is required", refused(new Publication(null, "m")).getMessage());
        assertEquals("\"topic\" must not be empty", refused(new Publication("", "m")).getMessage());
    }

    @Test
    void aMissingOrEmptyMessageIsRefused() {
        assertEquals("\"msg\" is required", refused(new Publication("t", null)).getMessage());
        assertEquals("\"msg\" must not be empty", refused(new Publication("t", "")).getMessage());
    }

    @Test
    void aBadEventTypeIsRefusedNamingIt() {
        for (String type : new String[] {"", "e".repeat(65), "a\nb", "a\rb", "a\u2028b", "ready", "reset"}) {
            IllegalArgumentException e = refused(new Publication("t", "m", type, null));
            assertTrue(e.getMessage().startsWith("\"event\""), e.getMessage());
        }
        Subscriber subscriber = subscribe("t");
        api.publish("t", "m", "e".repeat(64), null);
        assertTrue(wire(drain(subscriber).get(0)).contains("\nevent: " + "e".repeat(64) + "\n"));
    }

    @Test
    void aBadRetryIsRefusedNamingIt() {
        for (Duration retry : new Duration[] {Duration.ofMillis(-1), Duration.ofDays(1).plusMillis(1),
                Duration.ofSeconds(Long.MAX_VALUE), Duration.ofSeconds(Long.MIN_VALUE)}) {
            IllegalArgumentException e = refused(new Publication("t", "m", null, retry));
            assertTrue(e.getMessage().startsWith("\"retry\""), e.getMessage());
        }
        Subscriber subscriber = subscribe("t");
        api.publish("t", "m", null, Duration.ofDays(1));
        api.publish("t", "m", null, Duration.ofNanos(1_999_999));
        List<Frame> frames = drain(subscriber);
        assertTrue(wire(frames.get(0)).contains("retry: 86400000\n"));
        assertTrue(wire(frames.get(1)).contains("retry: 1\n"), "whole milliseconds");
    }

    @Test
    void aBatchWithOneBadItemPublishesNothing() {
        Subscriber subscriber = subscribe("a");
        String before = hub.lastEventId();
        List<Publication> batch = List.of(new Publication("a", "1"), new Publication("a", "2", "reset", null),
                new Publication("a", "3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> api.publishAll(batch));
        assertTrue(e.getMessage().startsWith("item 1: \"event\""), e.getMessage());
        assertNothingPublishedSince(before);
        assertTrue(drain(subscriber).isEmpty(), "the good items were not published either");

        IllegalArgumentException nullItem = assertThrows(IllegalArgumentException.class,
                () -> api.publishAll(Arrays.asList(new Publication("a", "1"), null)));
        assertTrue(nullItem.getMessage().startsWith("item 1: "), nullItem.getMessage());
        assertNothingPublishedSince(before);
    }

    @Test
    void aBatchCarriesOneToTheMaximum() {
        String before = hub.lastEventId();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> api.publishAll(List.of()))
                .getMessage().contains("a batch carries 1 to " + MAX_BATCH));
        List<Publication> tooMany = Collections.nCopies(MAX_BATCH + 1, new Publication("a", "m"));
        assertThrows(IllegalArgumentException.class, () -> api.publishAll(tooMany));
        assertNothingPublishedSince(before);
        assertEquals(MAX_BATCH, api.publishAll(Collections.nCopies(MAX_BATCH, new Publication("a", "m"))).size());
    }

    @Test
    void aNewTopicOnAFullNodeIsUnavailableAndKnownTopicsStillWork() {
        for (int i = 0; i < MAX_TOPICS; i++) {
            api.publish("t" + i, "m");
        }
        String before = hub.lastEventId();
        HubUnavailableException full = assertThrows(HubUnavailableException.class, () -> api.publish("new", "m"));
        assertEquals(HubUnavailableException.Reason.TOPIC_LIMIT, full.reason());
        assertEquals(Duration.ofSeconds(30), full.retryAfter());
        assertTrue(full.getMessage().contains("maximum of " + MAX_TOPICS + " topics"), full.getMessage());
        assertThrows(HubUnavailableException.class,
                () -> api.publishAll(List.of(new Publication("t0", "m"), new Publication("new", "m"))));
        assertNothingPublishedSince(before);
        assertEquals("t0", api.publish("t0", "still").topic());
    }

    @Test
    void onceShutdownHasBegunAPublishIsRefusedAndNothingPublished() throws Exception {
        api.publish("t", "before");
        assertTrue(publishes.closeAndAwait(0), "every publish, refused or not, left the gate");
        String before = hub.lastEventId();
        HubUnavailableException stopping = assertThrows(HubUnavailableException.class, () -> api.publish("t", "after"));
        assertEquals(HubUnavailableException.Reason.SHUTTING_DOWN, stopping.reason());
        assertEquals(Duration.ofSeconds(1), stopping.retryAfter());
        assertThrows(HubUnavailableException.class, () -> api.publishAll(List.of(new Publication("t", "after"))));
        assertNothingPublishedSince(before);
    }

    @Test
    void aRefusedPublishLeavesTheGateSoShutdownDoesNotWaitForIt() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> api.publish("a b", "m"));
        for (int i = 0; i < MAX_TOPICS; i++) {
            api.publish("t" + i, "m");
        }
        assertThrows(HubUnavailableException.class, () -> api.publish("new", "m"));
        assertTrue(publishes.closeAndAwait(0));
    }

    @Test
    void aFailingBackplaneIsUnavailable() throws Exception {
        SseHub failing = over(new Broker() {
            @Override
            public CompletionStage<List<PublishResult>> submit(List<Message> messages, IdempotencyKey key) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }

            @Override
            public CompletionStage<Subscription> attach(Subscriber subscriber, StartPosition from) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void detach(Subscriber subscriber) {
            }

            @Override
            public CompletionStage<Optional<TopicInfo>> topic(String name) {
                return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
            }

            @Override
            public io.ssehub.hub.SubscriptionRegistry subscriptions() {
                throw new UnsupportedOperationException();
            }
        });
        HubUnavailableException down = assertThrows(HubUnavailableException.class, () -> failing.publish("t", "m"));
        assertEquals(HubUnavailableException.Reason.BACKPLANE, down.reason());
        assertEquals(Duration.ofSeconds(2), down.retryAfter());
        assertTrue(publishes.closeAndAwait(0));
    }

    @Test
    void manyThreadsMayPublishAtOnce() throws Exception {
        Subscriber subscriber = subscribe("t");
        List<Thread> threads = new ArrayList<>();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    ids.add(api.publish("t", "m").id());
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(100, ids.stream().distinct().count());
        assertEquals(100, drain(subscriber).size());
    }

    @Test
    void aHostFindsTheHubInItsServletContextOrIsToldItIsNotRunning() {
        ServletContext context = Mockito.mock(ServletContext.class);
        IllegalStateException absent = assertThrows(IllegalStateException.class, () -> SseHub.from(context));
        assertTrue(absent.getMessage().contains("not running"), absent.getMessage());

        Mockito.when(context.getAttribute(SseHub.ATTRIBUTE)).thenReturn("not a hub");
        assertThrows(IllegalStateException.class, () -> SseHub.from(context));

        Mockito.when(context.getAttribute(SseHub.ATTRIBUTE)).thenReturn(api);
        assertSame(api, SseHub.from(context));
    }
}
