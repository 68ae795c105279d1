package io.ssehub.it;

import com.sun.net.httpserver.HttpServer;
import io.ssehub.testing.Await;
import io.ssehub.testing.HeadlessChromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client examples of {@code docs/examples/}, run as written against a live hub on every
 * container: Node's {@code subscribe.mjs}, Python's {@code subscribe.py} (with {@code requests}),
 * Java's {@code Subscribe.java} (launched from source) and {@code browser.html} in headless
 * Chromium. Each is started with an id from an earlier run of the hub, so the hub answers with a
 * {@code reset}; it must print that, print an event published to it, and, when the hub closes its
 * stream ({@code ssehub.stream.maxLifetime}), reconnect with the id of the last event it saw and
 * print the event published while it was away, once.
 *
 * <p>The README quotes these files; a change that breaks one as written fails here.
 */
class ClientExamplesIT extends ItSupport {

    static final Path EXAMPLES = Path.of("docs/examples");
    /** An id of the hub's form from a run long gone: resuming from it gets a reset. */
    static final String EARLIER_RUN_ID = "zzzzzz-7";
    static final Duration BROWSER_WAIT = Duration.ofSeconds(20);

    /** Serves the browser example from another origin than the hub's, as a page of an application would be. */
    private HttpServer pages;
    private HeadlessChromium chromium;

    @Override
    Map<String, String> params() {
        // The hub closes every stream after 2 s; the examples then wait their retry time (1 s, or
        // the hint a closing stream gives, ssehub.shutdown.retry plus jitter) before reconnecting.
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.stream.maxLifetime", "2s",
                "ssehub.shutdown.retryJitter", "0",
                "ssehub.cors.origins", pageOrigin());
    }

    @Override
    void beforeServerStarts() throws IOException {
        if (pages == null) {
            pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            pages.createContext("/browser.html", exchange -> {
                byte[] page = Files.readAllBytes(EXAMPLES.resolve("browser.html"));
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(page);
                }
            });
            pages.start();
        }
    }

    private String pageOrigin() {
        return "http://127.0.0.1:" + pages.getAddress().getPort();
    }

    @AfterAll
    void stopBrowserAndPages() throws IOException {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (pages != null) {
                pages.stop(0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"node", "python", "java"})
    void theExamplePrintsAResetAnEventAndResumesAfterTheHubClosesItsStream(String client) throws Exception {
        String topic = "example-" + client;
        String url = server.base().resolve("events/" + topic).toString();
        try (Output output = Output.of(command(client, url, EARLIER_RUN_ID).start())) {
            theSubscriberResumesWithoutLossOrRepeat(topic, output, "stream ended", WAIT);
        }
    }

    @Test
    void theBrowserExamplePrintsAResetAnEventAndResumesAfterTheHubClosesItsStream() throws Exception {
        String topic = "example-browser";
        String stream = server.base().resolve("events/" + topic) + "?lastEventId=" + EARLIER_RUN_ID;
        ChromeDriver page = browser();
        page.get(pageOrigin() + "/browser.html?stream=" + URLEncoder.encode(stream, StandardCharsets.UTF_8));
        Output output = Output.of(() -> page.findElement(By.id("log")).getText());
        theSubscriberResumesWithoutLossOrRepeat(topic, output, "reconnecting", BROWSER_WAIT);
        page.get("about:blank"); // closes the stream before the next container's server starts
    }

    /**
     * The scenario every example goes through: it connects from an earlier run's id and says the
     * hub reset it, prints an event, and after the hub closes its stream (when {@code ended}
     * appears) resumes from the last event it saw, printing the one published meanwhile, once.
     */
    private void theSubscriberResumesWithoutLossOrRepeat(String topic, Output output, String ended, Duration wait)
            throws Exception {
        String ready = "subscribed to \"" + topic + "\"";
        String first = output.await(line -> line.startsWith("ready ") && line.endsWith(ready), "the ready event", wait);
        String position = first.split(" ")[1];
        output.await(line -> line.startsWith("reset "), "the reset event", wait);

        String one = publishOk(topic, "one").get("id").asText();
        output.await(("message " + one + " one")::equals, "the event published while connected", wait);
        // Ids are hub-wide: this moves the hub past "one", so a stream that starts after "one"
        // again can only be one whose client sent that id.
        publishOk(topic + "-elsewhere", "moves the hub on");

        output.await(line -> line.startsWith(ended), "the hub to close the stream", wait);
        String two = publishOk(topic, "two").get("id").asText();
        output.await(("message " + two + " two")::equals, "the event published across the reconnect", wait);

        List<String> events = output.seen().stream()
                .filter(line -> line.startsWith("ready ") || line.startsWith("reset ") || line.startsWith("message "))
                .limit(5)
                .toList();
        assertEquals(List.of(
                "ready " + position + " " + ready,
                "reset " + position + " {\"lastEventId\":\"" + EARLIER_RUN_ID + "\",\"oldestAvailable\":null}",
                "message " + one + " one",
                "ready " + one + " " + ready,
                "message " + two + " two"), events, "every line the example printed: " + output.seen());
    }

    private static ProcessBuilder command(String client, String url, String lastEventId) throws Exception {
        List<String> command = switch (client) {
            case "node" -> List.of("node", EXAMPLES.resolve("node/subscribe.mjs").toString());
            case "python" -> List.of(pythonWithRequests(), "-u", EXAMPLES.resolve("python/subscribe.py").toString());
            case "java" -> List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    EXAMPLES.resolve("java/Subscribe.java").toString());
            default -> throw new IllegalArgumentException(client);
        };
        List<String> withArguments = new ArrayList<>(command);
        withArguments.add(url);
        withArguments.add(lastEventId);
        ProcessBuilder builder = new ProcessBuilder(withArguments).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy")); // loopback, directly
        return builder;
    }

    /**
     * The first {@code python3} that has {@code requests}: the one on the path, else Debian's
     * (whose {@code python3-requests} {@code .ci/run} installs).
     */
    private static String pythonWithRequests() throws Exception {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process check = new ProcessBuilder(python, "-c", "import requests")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (check.waitFor(20, TimeUnit.SECONDS) && check.exitValue() == 0) {
                    return python;
                }
                check.destroyForcibly();
            } catch (IOException notThere) {
                // try the next one
            }
        }
        throw new AssertionError("the Python example needs python3 with requests: apt-get install python3-requests");
    }

    private ChromeDriver browser() throws IOException {
        if (chromium == null) {
            chromium = new HeadlessChromium();
        }
        return chromium.browser();
    }

    /** What an example has printed, line by line: a process's output, or the text of a page. */
    interface Output extends Closeable {

        /** Every line printed so far. */
        List<String> seen();

        /** Waits for a line printed since the last one this returned; fails at the deadline. */
        String await(Predicate<String> wanted, String what, Duration wait);

        @Override
        default void close() throws IOException {
        }

        /** A page's text, read again on each look. */
        static Output of(Supplier<String> text) {
            return new Output() {
                private int next;

                @Override
                public List<String> seen() {
                    return text.get().lines().toList();
                }

                @Override
                public String await(Predicate<String> wanted, String what, Duration wait) {
                    String[] found = new String[1];
                    try {
                        Await.until(wait, () -> {
                            List<String> lines = seen();
                            for (int i = next; i < lines.size(); i++) {
                                if (wanted.test(lines.get(i))) {
                                    next = i + 1;
                                    found[0] = lines.get(i);
                                    return true;
                                }
                            }
                            return false;
                        }, what);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + "; the page shows " + seen(), e);
                    }
                    return found[0];
                }
            };
        }

        /** A process's standard output and error, read as it prints them; closing ends the process. */
        static Output of(Process process) {
            BlockingQueue<String> printed = new LinkedBlockingQueue<>();
            List<String> seen = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        printed.add(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "example-output");
            reader.setDaemon(true);
            reader.start();
            return new Output() {
                @Override
                public List<String> seen() {
                    printed.drainTo(seen);
                    return List.copyOf(seen);
                }

                @Override
                public String await(Predicate<String> wanted, String what, Duration wait) {
                    long deadline = System.nanoTime() + wait.toNanos();
                    try {
                        while (true) {
                            String line = printed.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                            if (line == null) {
                                throw new AssertionError("waited " + wait.toMillis() + " ms for " + what
                                        + (process.isAlive() ? "" : " (the example exited " + process.exitValue() + ")")
                                        + "; it printed " + seen());
                            }
                            seen.add(line);
                            if (wanted.test(line)) {
                                return line;
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted waiting for " + what, e);
                    }
                }

                @Override
                public void close() {
                    process.destroy();
                    try {
                        if (!process.waitFor(5, TimeUnit.SECONDS)) {
                            process.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
        }
    }
}
