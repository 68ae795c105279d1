package io.ssehub.it;

import com.launchdarkly.eventsource.ConnectStrategy;
import com.launchdarkly.eventsource.EventSource;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;
import com.launchdarkly.eventsource.background.BackgroundEventSource;
import io.ssehub.testing.Await;
import io.ssehub.testing.EventHandler;
import io.ssehub.testing.HeadlessChromium;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clients we test against, each written elsewhere or reading as a known one does: on a quiet
 * topic, each must dispatch an event promptly after its publish, with nothing after it on the wire
 * to push it through: the JDK's {@code HttpClient}, LaunchDarkly's {@code okhttp-eventsource}, a
 * raw client that reads as urllib3 does, and Chromium's {@code EventSource}.
 */
class ClientsIT extends ItSupport {

    /** The bound the issue of quiet topics names: an event dispatched within this of its publish, typically. */
    static final Duration DISPATCHED = Duration.ofMillis(200);
    static final int EVENTS = 5;

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "1h",
                "ssehub.stream.probe", "0"); // nothing but the event itself may complete it
    }

    /** A client under test: the data of the next {@code message} event it dispatches. */
    private interface Client extends Closeable {
        String nextData(Duration timeout) throws Exception;
    }

    /**
     * Publishes {@link #EVENTS} events on the quiet topic, each once the previous was dispatched, and
     * measures each from just before its publish to its dispatch: the median within
     * {@link #DISPATCHED}, and none later than {@link WireIT#PROMPTLY} (a held-back chunk waits for
     * the next write, an hour away here).
     */
    private void assertEachEventIsDispatchedPromptly(String topic, Client client) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            long publishing = System.nanoTime();
            publishOk(topic, "quiet " + i);
            assertEquals("quiet " + i, client.nextData(WAIT));
            millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishing));
        }
        assertPrompt(millis);
    }

    /** The median within {@link #DISPATCHED}, and none later than {@link WireIT#PROMPTLY}. */
    private static void assertPrompt(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        assertTrue(sorted.get(sorted.size() / 2) <= DISPATCHED.toMillis(), "dispatched after " + millis + " ms");
        assertTrue(sorted.get(sorted.size() - 1) <= WireIT.PROMPTLY.toMillis(), "dispatched after " + millis + " ms");
    }

    /** A client whose events another thread puts on {@code data}. */
    private static Client queued(BlockingQueue<String> data, Runnable close) {
        return new Client() {
            @Override
            public String nextData(Duration timeout) throws InterruptedException {
                String next = data.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return next == null ? "(nothing within " + timeout.toMillis() + " ms)" : next;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    @Test
    void theJdkHttpClientReadingLineByLineDispatchesEachEventPromptly() throws Exception {
        String topic = "clients-jdk";
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(server.base().resolve("events/" + topic))
                .header("Accept", "text/event-stream").build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (Stream<String> lines = response.body()) {
                // An event is dispatched at the blank line that ends it (WHATWG's algorithm, enough of it here).
                StringBuilder event = new StringBuilder();
                lines.forEach(line -> {
                    if (line.isEmpty()) {
                        data.add(event.toString());
                        event.setLength(0);
                    } else if (line.startsWith("data: ")) {
                        event.append(line.substring(6));
                    }
                });
            } catch (RuntimeException closed) {
                // the test ended the stream
            }
        }, "jdk-lines");
        reader.setDaemon(true);
        reader.start();
        try (Client client = queued(data, reader::interrupt)) {
            assertEquals("subscribed to \"" + topic + "\"", client.nextData(WAIT));
            assertEachEventIsDispatchedPromptly(topic, client);
        } finally {
            response.body().close();
        }
    }

    @Test
    void launchDarklysEventSourceDispatchesEachEventPromptly() throws Exception {
        String topic = "clients-okhttp";
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        BackgroundEventHandler handler = new EventHandler((event, message) -> data.add(message.getData()));
        EventSource.Builder source = new EventSource.Builder(
                ConnectStrategy.http(server.base().resolve("events/" + topic)).readTimeout(1, TimeUnit.HOURS));
        try (BackgroundEventSource events = new BackgroundEventSource.Builder(handler, source).build()) {
            events.start();
            Client client = queued(data, () -> { });
            assertEquals("subscribed to \"" + topic + "\"", client.nextData(WAIT));
            assertEachEventIsDispatchedPromptly(topic, client);
        }
    }

    /** Reads as urllib3 does: a chunk's data is handed on only once its terminating CRLF was read. */
    @Test
    void aRawClientThatReadsEachChunksEndFirstDispatchesEachEventPromptly() throws Exception {
        String topic = "clients-raw";
        URI base = server.base();
        try (WireIT.RawStream stream = WireIT.RawStream.open(base, "events/" + topic, "HTTP/1.1")) {
            SseParser parser = new SseParser();
            Client client = new Client() {
                @Override
                public String nextData(Duration timeout) throws IOException {
                    return stream.nextEvent(parser, timeout).data();
                }

                @Override
                public void close() {
                }
            };
            assertEquals("subscribed to \"" + topic + "\"", client.nextData(WAIT));
            assertEachEventIsDispatchedPromptly(topic, client);
        }
    }

    /**
     * Chromium's own {@code EventSource}, opened from the console's page (same origin): the browser
     * stamps each event with its clock as it dispatches it, the same clock the publish is timed by.
     */
    @Test
    void aBrowsersEventSourceDispatchesEachEventPromptly() throws Exception {
        String topic = "clients-browser";
        try (HeadlessChromium chromium = new HeadlessChromium()) {
            ChromeDriver browser = chromium.browser();
            browser.get(server.base().toString());
            browser.executeScript("window.got = []; window.subscribed = false;"
                    + "const source = new EventSource('events/" + topic + "');"
                    + "source.addEventListener('ready', () => { window.subscribed = true; });"
                    + "source.onmessage = e => window.got.push(e.data + '@' + Date.now());");
            Await.until(WAIT, () -> Boolean.TRUE.equals(browser.executeScript("return window.subscribed")),
                    "the browser's stream to open");
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                long publishing = System.currentTimeMillis();
                publishOk(topic, "quiet " + i);
                int seen = i + 1;
                Await.until(WAIT, () -> ((Number) browser.executeScript("return window.got.length")).intValue() >= seen,
                        "the browser to dispatch event " + i);
                String got = (String) browser.executeScript("return window.got[" + i + "]");
                assertEquals("quiet " + i, got.substring(0, got.lastIndexOf('@')));
                millis.add(Long.parseLong(got.substring(got.lastIndexOf('@') + 1)) - publishing);
            }
            assertPrompt(millis);
        }
    }
}
