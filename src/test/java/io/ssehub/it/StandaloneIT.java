package io.ssehub.it;

import io.ssehub.app.Setting;
import io.ssehub.testing.Await;
import io.ssehub.testing.Http;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar target/ssehub.war} as an operator runs it: a process of its own, configured by
 * the environment, stopped with SIGTERM ({@link Process#destroy()}). {@link TomcatWarIT} deploys the
 * very same file into Tomcat.
 */
class StandaloneIT {

    static final Path WAR = Path.of("target/ssehub.war");
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Pattern LISTENING = Pattern.compile("ssehub listening on (http://\\S+/)");

    @TempDir
    Path dir;
    private Process process;
    private Path out;
    private Path err;

    @AfterEach
    void kill() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void runsFromTheEnvironmentAndStopsCleanlyOnSigterm() throws Exception {
        URI base = start(Map.of(
                "SSEHUB_PORT", "0", // a free port, which the launcher reports
                "SSEHUB_BIND", "127.0.0.1",
                Setting.SHUTDOWN_RETRY.envName(), "7s",
                Setting.SHUTDOWN_RETRY_JITTER.envName(), "0",
                Setting.TICK_INTERVAL.envName(), "0",
                "JDK_JAVA_OPTIONS", "-XX:MaxHeapFreeRatio=50 -XX:TrimNativeHeapInterval=5000")); // chosen: left alone
        Http http = new Http(base);
        assertEquals(200, http.get("readyz").statusCode());
        String launcherLog = read(err);
        String returning = launcherLog.lines().filter(line -> line.contains("returning idle heap")).findFirst().orElse("");
        assertTrue(returning.endsWith("returning idle heap to the system: -XX:G1PeriodicGCInterval=3000"
                + " -XX:MinHeapFreeRatio=5"), "G1 told to give idle heap back, but for the options given\n" + launcherLog);

        try (SseClient client = SseClient.open(base, "events/news")) {
            assertEquals(200, client.status());
            assertEquals("ready", client.next(WAIT).type());
            HttpResponse<String> published = http.post("publish", "{\"topic\":\"news\",\"msg\":\"standalone\"}");
            assertEquals(200, published.statusCode(), published.body());
            assertEquals("standalone", client.next(WAIT).data());

            process.destroy(); // SIGTERM

            List<SseParser.Event> rest = client.readToEnd(WAIT);
            assertTrue(rest.isEmpty(), "nothing after the last words but their retry: " + rest);
            assertEquals(7_000L, client.retry(), "the stream's last words carry ssehub.shutdown.retry from the environment");
        }
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the process ends");
        assertEquals(0, process.exitValue(), "a clean stop on SIGTERM\n" + Files.readString(err));
        String log = Files.readString(out);
        assertTrue(log.contains("ssehub stopped"), log);
        assertFalse(Files.readString(err).contains("SLF4J"), "no logging complaints\n" + Files.readString(err));
    }

    @Test
    void noAnswerNamesTheServersSoftwareAndVersionForAnAttackerToLookUp() throws Exception {
        URI base = start(Map.of("SSEHUB_PORT", "0", "SSEHUB_BIND", "127.0.0.1", Setting.TICK_INTERVAL.envName(), "0"));
        Http http = new Http(base);
        for (HttpResponse<String> answer : List.of(http.get("readyz"), http.get("no-such-path"),
                http.post("publish", "not json"))) {
            assertEquals(Optional.empty(), answer.headers().firstValue("Server"),
                    answer.statusCode() + " " + answer.headers().map());
        }
        try (SseClient client = SseClient.open(base, "events/news")) {
            assertEquals(200, client.status());
            assertNull(client.header("Server"), "a stream's head");
        }
    }

    @Test
    void everyPublishAcknowledgedBeforeTheStopReachesTheSubscriberBeforeItsLastWords() throws Exception {
        URI base = start(Map.of("SSEHUB_PORT", "0", "SSEHUB_BIND", "127.0.0.1",
                Setting.TICK_INTERVAL.envName(), "0",
                Setting.SUBSCRIBER_QUEUE.envName(), "65536")); // the client reads only after the stop
        String launcherLog = read(err);
        assertTrue(launcherLog.contains("-XX:MaxHeapFreeRatio=10 -XX:TrimNativeHeapInterval=3000"),
                "left to itself, the launcher returns idle heap and trims the C heap\n" + launcherLog);
        Http http = new Http(base);
        try (SseClient client = SseClient.open(base, "events/load")) {
            assertEquals("ready", client.next(WAIT).type());
            List<String> acknowledged = new CopyOnWriteArrayList<>();
            AtomicReference<String> refused = new AtomicReference<>();
            Thread publisher = new Thread(() -> {
                for (int n = 0; refused.get() == null; n++) {
                    try {
                        HttpResponse<String> answer = http.post("publish",
                                "{\"topic\":\"load\",\"msg\":\"" + n + "\"}", "application/json");
                        if (answer.statusCode() == 200) {
                            acknowledged.add(String.valueOf(n));
                        } else {
                            refused.set(answer.statusCode() + " " + answer.body());
                        }
                    } catch (IOException e) {
                        refused.set(e.toString()); // the connector has closed
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "publisher");
            publisher.start();
            Await.until(WAIT, () -> acknowledged.size() >= 50, "50 publishes acknowledged before the stop");

            process.destroy(); // SIGTERM while publishes keep coming

            List<String> received = client.readToEnd(WAIT).stream().map(SseParser.Event::data).toList();
            publisher.join(WAIT.toMillis());
            assertFalse(publisher.isAlive(), "the publisher was refused once the hub stopped");
            // 503 while the hub stops (a 404 would say the path does not exist), or no connection once Jetty has stopped
            assertTrue(refused.get().startsWith("503 ") || refused.get().startsWith("java.net.ConnectException")
                    || refused.get().startsWith("java.io.IOException"), refused.get());
            assertEquals(acknowledged, received.subList(0, Math.min(received.size(), acknowledged.size())),
                    "every acknowledged publish, in order, before the stream ended");
            assertTrue(received.size() <= acknowledged.size() + 1,
                    "at most the publish whose answer the stop cut off besides: " + received.size() + " of "
                            + acknowledged.size());
        }
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the process ends");
        assertEquals(0, process.exitValue(), Files.readString(err));
    }

    @Test
    void anInvalidSettingStopsTheProcessWithTheKeyNamed() throws Exception {
        process = launch(Map.of("SSEHUB_PORT", "0", "SSEHUB_BIND", "127.0.0.1",
                Setting.SUBSCRIBER_QUEUE.envName(), "lots"));
        assertTrue(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the process ends");
        assertEquals(1, process.exitValue());
        String output = Files.readString(out) + Files.readString(err);
        assertTrue(output.contains(Setting.SUBSCRIBER_QUEUE.key()), output);
    }

    private URI start(Map<String, String> environment) throws IOException {
        process = launch(environment);
        String[] found = new String[1];
        Await.until(WAIT, () -> {
            Matcher listening = LISTENING.matcher(read(err));
            if (listening.find()) {
                found[0] = listening.group(1);
                return true;
            }
            assertTrue(process.isAlive(), "the launcher ended early:\n" + read(out) + read(err));
            return false;
        }, "the launcher's line \"ssehub listening on ...\"");
        return URI.create(found[0]);
    }

    private Process launch(Map<String, String> environment) throws IOException {
        assertTrue(Files.isRegularFile(WAR), "the build packages " + WAR + " before the integration tests");
        out = dir.resolve("stdout");
        err = dir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", WAR.toAbsolutePath().toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("SSEHUB_") || name.equals("PORT"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
