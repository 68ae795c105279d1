package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reconnect storm on the default configuration (queue, overflow policy, history, limits): every
 * client drops its connection at once and comes back with the {@code Last-Event-ID} an
 * {@code EventSource} sends, while events keep being published. Every client must end up with
 * exactly the events published, each once and in order, with no {@code reset} and no 503.
 */
class StormIT extends ItSupport {

    static final int CLIENTS = 500;
    static final int PER_SECOND = 40;
    static final int EVENTS = 200;
    /** After how many published events the clients drop their connections. */
    static final int DROP_AFTER = 40;
    static final Duration STORM_WAIT = Duration.ofSeconds(60);

    @Override
    Map<String, String> params() {
        // every client of the storm comes from this one loopback address
        return Map.of("ssehub.tick.interval", "0", "ssehub.streams.perClient", "0");
    }

    /** One client: reads its stream, and once told to, drops it and resumes with the last id it saw. */
    private final class Client implements Runnable {
        final List<SseParser.Event> events = new ArrayList<>();
        volatile SseClient stream;
        volatile String failure;
        final String topic;
        final CountDownLatch opened = new CountDownLatch(1);
        volatile String lastEventId;
        volatile boolean done;

        Client(String topic) {
            this.topic = topic;
        }

        @Override
        public void run() {
            try {
                stream = SseClient.open(server.base(), "events/" + topic);
                SseParser.Event ready = stream.next(WAIT);
                lastEventId = ready.id();
                opened.countDown();
                boolean reconnected = false;
                while (!done) {
                    SseParser.Event event;
                    try {
                        event = stream.next(STORM_WAIT);
                    } catch (IOException dropped) {
                        if (done) {
                            return;
                        }
                        if (reconnected) {
                            throw dropped;
                        }
                        reconnected = true; // the storm: straight back, as an EventSource with retry 0
                        stream = SseClient.open(server.base(), "events/" + topic, Map.of("Last-Event-ID", lastEventId));
                        if (stream.status() != 200) {
                            throw new IOException("reconnect answered " + stream.status());
                        }
                        continue;
                    }
                    if (event.type().equals("ready")) {
                        continue;
                    }
                    synchronized (events) {
                        events.add(event);
                    }
                    if (event.id() != null) {
                        lastEventId = event.id();
                    }
                }
            } catch (Exception e) {
                failure = e.toString();
                opened.countDown();
            }
        }

        int received() {
            synchronized (events) {
                return events.size();
            }
        }

        long lost() {
            synchronized (events) {
                return events.stream().filter(e -> e.type().equals("reset"))
                        .mapToLong(e -> Long.parseLong(e.data().replaceAll(".*\"dropped\":(\\d+).*", "$1"))).sum();
            }
        }

        String firstReset() {
            synchronized (events) {
                for (int i = 0; i < events.size(); i++) {
                    if (events.get(i).type().equals("reset")) {
                        return "after " + i + " events, " + events.get(i).data();
                    }
                }
                return "none";
            }
        }

        long resets() {
            synchronized (events) {
                return events.stream().filter(e -> e.type().equals("reset")).count();
            }
        }
    }

    @Test
    void everyClientOfAReconnectStormGetsExactlyTheEventsItMissedOnTheDefaults() throws Exception {
        String topic = "storm";
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Client client = new Client(topic);
            Thread thread = new Thread(client, "storm-client-" + i);
            thread.setDaemon(true);
            clients.add(client);
            thread.start();
            assertTrue(client.opened.await(WAIT.toSeconds(), TimeUnit.SECONDS), "client " + i + " opened in time");
            assertEquals(null, client.failure, "client " + i + " opened");
        }
        List<String> published = new CopyOnWriteArrayList<>();
        AtomicInteger publishFailures = new AtomicInteger();
        ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
        CountDownLatch allPublished = new CountDownLatch(1);
        publisher.scheduleAtFixedRate(() -> {
            if (published.size() >= EVENTS) {
                allPublished.countDown();
                return;
            }
            try {
                published.add(publishOk(topic, "storm " + published.size()).get("id").asText());
            } catch (Throwable e) {
                publishFailures.incrementAndGet();
            }
        }, 0, 1_000_000 / PER_SECOND, TimeUnit.MICROSECONDS);
        try {
            Await.until(WAIT, () -> published.size() >= DROP_AFTER, "the first events to be published");
            for (Client client : clients) {
                client.stream.close(); // every client at once, as when a load balancer fails over
            }
            assertTrue(allPublished.await(STORM_WAIT.toSeconds(), TimeUnit.SECONDS), "publishing ended");
            assertEquals(0, publishFailures.get(), "publishes failed");
            Await.until(STORM_WAIT, () -> clients.stream().allMatch(c -> c.failure != null || c.received() >= EVENTS
                    || c.resets() > 0), "every client to have every event");
        } finally {
            publisher.shutdownNow();
            for (Client client : clients) {
                client.done = true;
                if (client.stream != null) {
                    client.stream.close();
                }
            }
        }
        List<String> expected = List.copyOf(published);
        long losing = clients.stream().filter(c -> c.resets() > 0).count();
        long lost = clients.stream().mapToLong(Client::lost).sum();
        assertEquals(List.of(), clients.stream().filter(c -> c.failure != null || c.resets() > 0)
                .map(c -> c.failure != null ? c.failure : c.resets() + " resets, " + c.received() + " events: " + c.firstReset())
                .limit(10).toList(), "clients that failed or lost events (the first ten); " + losing + " of " + CLIENTS
                + " clients were told they lost " + lost + " events");
        for (int i = 0; i < CLIENTS; i++) {
            Client client = clients.get(i);
            assertEquals(null, client.failure, "client " + i);
            List<String> ids;
            synchronized (client.events) {
                ids = client.events.stream().map(e -> e.type() + " " + e.id()).toList();
            }
            List<String> want = expected.stream().map(id -> "message " + id).toList();
            assertEquals(want, ids.subList(0, Math.min(ids.size(), want.size())), "client " + i + " got each event once, in order");
            assertEquals(want.size(), ids.size(), "client " + i + " got nothing more");
        }
    }
}
