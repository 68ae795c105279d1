package io.ssehub.it;

import io.ssehub.http.filter.RecoveryFilter;
import io.ssehub.testing.LogCapture;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.ThrowingServlet;
import jakarta.servlet.Servlet;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Strangers who send the most expensive requests the API allows, as often as they can, while
 * ordinary clients go on: each attack costs the attacker and no one else. The loopback address is
 * configured as a trusted proxy, so a scenario plays many clients by naming them in
 * {@code X-Forwarded-For}; requests from other loopback addresses (127.0.0.2, ...) are not from a
 * proxy, and what they claim in that header is ignored.
 */
class HostileClientsIT extends ItSupport {

    static final int STREAMS_PER_CLIENT = 3;
    static final int TOPICS_PER_CLIENT = 20;
    static final int BURST = 100;
    static final Duration BODY_TIMEOUT = Duration.ofSeconds(3);
    static final String HUB = ".well-known/mercure";
    /** Where the tests' own failing handler is mapped, beside the hub. */
    static final String THROWING = "/test/throwing/";

    @Override
    Map<String, String> params() {
        return Map.ofEntries(
                Map.entry("ssehub.tick.interval", "0"),
                Map.entry("ssehub.keepalive.interval", "200ms"),
                Map.entry("ssehub.proxies.trusted", "127.0.0.1"),
                Map.entry("ssehub.streams.perClient", Integer.toString(STREAMS_PER_CLIENT)),
                Map.entry("ssehub.topics.perClient", Integer.toString(TOPICS_PER_CLIENT)),
                Map.entry("ssehub.publish.bodyTimeout", BODY_TIMEOUT.toSeconds() + "s"),
                Map.entry("ssehub.publish.rate", "1"),
                Map.entry("ssehub.publish.burst", Integer.toString(BURST)),
                Map.entry("ssehub.mercure.subscriptions", "true"));
    }

    @Override
    Map<String, Class<? extends Servlet>> servlets() {
        return Map.of(THROWING + "*", ThrowingServlet.class);
    }

    @Test
    void anErrorThrownByAHandlerIsAnswered500ProblemAndTheHubKeepsServing() throws Exception {
        try (SseClient witness = subscribe("after-errors"); LogCapture logs = new LogCapture()) {
            for (String failure : List.of("stack-overflow", "linkage")) {
                HttpResponse<String> response = http.get(THROWING.substring(1) + failure);
                assertProblem(response, 500);
                assertEquals("urn:ssehub:problem:internal", JSON.readTree(response.body()).get("type").asText());
                String requestId = response.headers().firstValue("X-Request-ID").orElseThrow();
                assertEquals(1, logs.lines(RecoveryFilter.class.getName()).stream()
                                .filter(line -> line.startsWith("ERROR") && line.contains(requestId)).count(),
                        failure + " is logged once, with its request id: " + logs.lines());
            }
            publishOk("after-errors", "still serving");
            assertEquals("still serving", witness.next(WAIT).data());
        }
    }

    @Test
    void threeHundredTricklingPublishersHoldNoThreadAndAreCutOffWhileOthersPublish() throws Exception {
        int tricklers = 300;
        byte[] body = "{\"topic\":\"trickle\",\"msg\":\"never finished\"}".getBytes(StandardCharsets.US_ASCII);
        List<Socket> sockets = new ArrayList<>();
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        try (SseClient witness = subscribe("calm")) {
            for (int i = 0; i < tricklers; i++) {
                Socket socket = connect();
                sockets.add(socket);
                socket.getOutputStream().write(head("POST", "publish", body.length,
                        Map.of("Content-Type", "application/json", "X-Forwarded-For", "10.1." + i / 200 + "." + i % 200)));
            }
            Socket silent = connect(); // sends its head and then nothing: only the deadline catches it
            sockets.add(silent);
            silent.getOutputStream().write(head("POST", "publish", body.length, Map.of("Content-Type", "application/json")));
            // One byte a second each, at most the whole body: a trickle that would take a minute.
            int[] sent = new int[1];
            pace.scheduleAtFixedRate(() -> {
                int at = sent[0]++;
                for (Socket socket : sockets.subList(0, tricklers)) {
                    try {
                        if (at < body.length) {
                            socket.getOutputStream().write(body[at]);
                        }
                    } catch (IOException cutOff) {
                        // the server has answered and closed: what the scenario waits for
                    }
                }
            }, 0, 1, TimeUnit.SECONDS);

            for (int i = 0; i < 20; i++) {
                publishOk("calm", "m" + i);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("m" + i, witness.next(WAIT).data(), "every ordinary publish arrives, in order");
            }
            for (int i = 0; i < sockets.size(); i++) {
                String who = i < tricklers ? "trickler " + i : "the silent publisher";
                String answer = answerOrClose(sockets.get(i), BODY_TIMEOUT.plus(WAIT), who);
                assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"),
                        who + " is answered 408 or closed, got " + answer);
                if (!answer.isEmpty()) {
                    assertTrue(answer.toLowerCase(Locale.ROOT).contains("content-type: application/problem+json"), answer);
                    assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
                }
            }
        } finally {
            pace.shutdownNow();
            closeAll(sockets);
        }
        assertEquals(404, http.get("topics/trickle").statusCode(), "no trickled publish reached the hub");
        publishOk("calm", "after the tricklers");
    }

    @Test
    void publishersThatSendOnlyTheirHeadsHoldNoThreadOnceAnsweredWhileOthersPublish() throws Exception {
        // Each kind far more than a container's worker threads (Undertow's default: 8 per core):
        // answered at once (413, before the body is read) or at the body deadline (408), and then
        // silent, with the connection left open, as long as the server lets it stay.
        int each = 40;
        List<Socket> refusedAtOnce = new ArrayList<>();
        List<Socket> late = new ArrayList<>();
        try (SseClient witness = subscribe("heads")) {
            for (int i = 0; i < each; i++) {
                Socket socket = connect();
                refusedAtOnce.add(socket);
                socket.getOutputStream().write(head("POST", "publish", 2 * 1024 * 1024,
                        Map.of("Content-Type", "application/json", "X-Forwarded-For", "10.2.0." + i)));
                String answer = answerOrClose(socket, WAIT, "oversized head " + i);
                assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            }
            for (int i = 0; i < each; i++) {
                Socket socket = connect();
                late.add(socket);
                socket.getOutputStream().write(head("POST", "publish", 64,
                        Map.of("Content-Type", "application/json", "X-Forwarded-For", "10.2.1." + i)));
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(200, publishAs("198.51.100.60", "heads", "h" + i).statusCode());
            }
            for (Socket socket : late) {
                assertEquals(0, socket.getInputStream().available(), "no silent publisher was answered before its deadline");
            }
            for (int i = 0; i < each; i++) {
                String answer = answerOrClose(late.get(i), BODY_TIMEOUT.plus(WAIT), "silent publisher " + i);
                assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), "408 or closed, got " + answer);
            }
            for (int i = 20; i < 40; i++) {
                assertEquals(200, publishAs("198.51.100.61", "heads", "h" + i).statusCode());
            }
            for (int i = 0; i < 40; i++) {
                assertEquals("h" + i, witness.next(WAIT).data(), "every ordinary publish arrives, in order");
            }
        } finally {
            closeAll(refusedAtOnce);
            closeAll(late);
        }
    }

    /**
     * A body refused before it is read but small enough to be read and thrown away (so that its
     * answer is not destroyed by a reset) is read without a thread: publishers that declare one and
     * then go silent hold no worker, and lose their connection once the short linger has passed.
     */
    @Test
    void refusedPublishersThatGoSilentAfterTheirAnswerHoldNoThreadAndAreCutOff() throws Exception {
        int each = 40;
        List<Socket> silent = new ArrayList<>();
        try (SseClient witness = subscribe("lingering")) {
            for (int i = 0; i < each; i++) {
                Socket socket = connect();
                silent.add(socket);
                socket.getOutputStream().write(head("POST", "publish", 200 * 1024,
                        Map.of("Content-Type", "application/json", "X-Forwarded-For", "10.3.0." + i)));
                socket.getOutputStream().write("{\"topic\":\"lingering\",\"msg\":\"".getBytes(StandardCharsets.US_ASCII));
                // Its head is enough: where the answer cannot declare its length (Tomcat) it ends
                // only with the reading of the rest, which this publisher never sends.
                String answer = readUntil(socket, WAIT, read -> read.contains("\r\n\r\n"),
                        "refused publisher " + i + " was not answered within " + WAIT.toMillis() + " ms");
                assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals(200, publishAs("198.51.100.62", "lingering", "l" + i).statusCode());
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("l" + i, witness.next(WAIT).data(), "every ordinary publish arrives, in order");
            }
            for (int i = 0; i < each; i++) {
                assertClosed(silent.get(i), Duration.ofSeconds(5).plus(WAIT), "refused publisher " + i);
            }
        } finally {
            closeAll(silent);
        }
    }

    /**
     * A client that asks for 100 Continue and gets a final answer instead sends no body, so the
     * server must not invite the body after answering nor wait for it: the connection ends at once.
     * A container that invites every body before the servlet runs (Tomcat) gets the body, as from
     * any client, and then the answer.
     */
    @Test
    void aRefusedPublishThatExpects100ContinueIsNotInvitedLateNorKeptWaiting() throws Exception {
        for (String path : List.of("publish", HUB)) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(head("POST", path, 200 * 1024, Map.of("Content-Type", "application/json",
                        "Expect", "100-continue", "X-Forwarded-For", "198.51.100.2")));
                String first = readUntil(socket, WAIT, read -> read.contains("\r\n\r\n"), path + ": no answer");
                boolean invited = first.startsWith("HTTP/1.1 100");
                if (invited) {
                    socket.getOutputStream().write(new byte[200 * 1024]);
                }
                long start = System.nanoTime();
                String rest = readUntil(socket, invited ? WAIT : Duration.ofSeconds(2), read -> false,
                        path + ": the connection is still open after its answer");
                String answer = invited ? (first + rest).substring(first.indexOf("\r\n\r\n") + 4) : first + rest;
                assertTrue(answer.startsWith("HTTP/1.1 413"), path + ": " + first + rest);
                // Read until the server closed: an answer that declares no length (Tomcat's, whose
                // refused body is read after it) ends with the connection.
                assertTrue((complete(answer) || endsWithConnection(answer)) && answer.indexOf("HTTP/1.1", 1) < 0,
                        path + ": nothing follows the answer: " + answer);
            }
        }
    }

    @Test
    void anOversizedPublishIsRefusedBeforeItsBodyIsSent() throws Exception {
        for (String path : List.of("publish", HUB)) {
            try (Socket socket = connect()) {
                // 2 MiB: Undertow refuses a declared length beyond that itself, with a bare 400.
                socket.getOutputStream().write(head("POST", path, 2 * 1024 * 1024,
                        Map.of("Content-Type", "application/json", "X-Forwarded-For", "198.51.100.1")));
                String answer = answerOrClose(socket, WAIT, path);
                assertTrue(answer.startsWith("HTTP/1.1 413"), path + ": " + answer);
                assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
                assertTrue(answer.contains("urn:ssehub:problem:body-too-large"), answer);
            }
        }
    }

    @Test
    void aClientAtItsStreamLimitGets429WhileAnotherClientBehindTheSameProxyConnects() throws Exception {
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS_PER_CLIENT; i++) {
                streams.add(subscribeAs("203.0.113.1", "crowd"));
                assertEquals(200, streams.get(i).status());
            }
            try (SseClient refused = subscribeAs("203.0.113.1", "crowd")) {
                assertRefused(refused, 429);
            }
            SseClient other = subscribeAs("203.0.113.2", "crowd");
            streams.add(other);
            assertEquals(200, other.status());
            assertEquals("ready", other.next(WAIT).type());
        } finally {
            closeAll(streams);
        }
    }

    @Test
    void aClientThatIsNoProxyCannotEscapeItsStreamLimitByNamingOthers() throws Exception {
        InetAddress spoofer = InetAddress.getByName("127.0.0.2");
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < STREAMS_PER_CLIENT; i++) {
                streams.add(SseClient.openFrom(spoofer, server.base(), "events/spoof",
                        Map.of("X-Forwarded-For", "192.0.2." + i, "Forwarded", "for=192.0.2." + i)));
                assertEquals(200, streams.get(i).status());
            }
            try (SseClient refused = SseClient.openFrom(spoofer, server.base(), "events/spoof",
                    Map.of("X-Forwarded-For", "192.0.2.99"))) {
                assertRefused(refused, 429);
            }
        } finally {
            closeAll(streams);
        }
    }

    @Test
    void aTopicFloodHitsTheClientsTopicCapAndOthersStillCreateTopics() throws Exception {
        String flooder = "198.51.100.20";
        for (int i = 0; i < TOPICS_PER_CLIENT; i++) {
            assertEquals(200, publishAs(flooder, "flood-" + i).statusCode());
        }
        HttpResponse<String> refused = publishAs(flooder, "flood-new");
        assertProblem(refused, 429);
        assertEquals("urn:ssehub:problem:topic-limit", JSON.readTree(refused.body()).get("type").asText());
        assertTrue(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()) > 0);
        assertEquals(404, http.get("topics/flood-new").statusCode(), "the refused publish created nothing");
        assertEquals(200, publishAs(flooder, "flood-0").statusCode(), "its own topics still take messages");
        try (SseClient stream = subscribeAs(flooder, "flood-stream")) {
            assertRefused(stream, 429); // a stream that would create a topic counts too
        }
        assertEquals(200, publishAs("198.51.100.21", "flood-new").statusCode(), "another client still creates topics");
    }

    @Test
    void eachMercureSubscriptionIsATopicThatCountsAgainstTheClientsCap() throws Exception {
        String many = java.util.stream.IntStream.range(0, TOPICS_PER_CLIENT + 1)
                .mapToObj(i -> "topic=" + encode("https://example.com/many/" + i)).collect(Collectors.joining("&"));
        try (SseClient refused = subscribeAs("198.51.100.30", HUB + "?" + many)) {
            assertRefused(refused, 429);
        }
        try (SseClient admitted = subscribeAs("198.51.100.31", HUB + "?topic=" + encode("https://example.com/few"))) {
            assertEquals(200, admitted.status());
        }
    }

    @Test
    void pathologicalSelectorsAreRefusedAndCostlyOnesDoNotDisturbPublishers() throws Exception {
        String exploding = "https://example.com/" + "abcdefghijklmnop".chars()
                .mapToObj(c -> "{+" + (char) c + "}").collect(Collectors.joining()) + "Z1";
        try (SseClient refused = subscribeAs("198.51.100.40", HUB + "?topic=" + encode(exploding))) {
            assertEquals(400, refused.status());
            assertTrue(refused.header("Content-Type").startsWith("application/problem+json"));
        }
        // Allowed, but each one a regular expression to try on every new topic.
        List<SseClient> heavy = new ArrayList<>();
        try (SseClient witness = subscribe("selected")) {
            for (int s = 0; s < 2; s++) {
                String selectors = java.util.stream.IntStream.range(0, 5)
                        .mapToObj(i -> "topic=" + encode("https://example.com/{+path}/n" + i + "/{id}"))
                        .collect(Collectors.joining("&"));
                SseClient stream = subscribeAs("198.51.100.4" + (s + 1), HUB + "?" + selectors);
                heavy.add(stream);
                assertEquals(200, stream.status());
            }
            for (int i = 0; i < 30; i++) {
                publishOk("selected", "s" + i);
                HttpResponse<String> mercure = http.post(HUB, "topic=" + encode("https://example.com/a/b/n" + (i % 5) + "/x")
                        + "&data=d" + i);
                assertEquals(200, mercure.statusCode(), mercure.body());
            }
            for (int i = 0; i < 30; i++) {
                assertEquals("s" + i, witness.next(WAIT).data());
            }
            for (SseClient stream : heavy) {
                List<String> data = new ArrayList<>();
                while (data.size() < 30) {
                    SseParser.Event event = stream.next(WAIT);
                    if (event.data() != null && event.data().startsWith("d")) {
                        data.add(event.data());
                    }
                }
                assertEquals(java.util.stream.IntStream.range(0, 30).mapToObj(i -> "d" + i).toList(), data,
                        "every matching update, in order");
            }
        } finally {
            closeAll(heavy);
        }
    }

    @Test
    void aPublisherOverItsRateGets429WithRetryAfterAndOthersStillPublish() throws Exception {
        HttpResponse<String> refused = null;
        for (int i = 0; i <= BURST * 2 && refused == null; i++) {
            HttpResponse<String> response = publishAs("198.51.100.50", "rated");
            if (response.statusCode() != 200) {
                refused = response;
            }
        }
        assertTrue(refused != null, "a publisher far over its burst is refused");
        assertProblem(refused, 429);
        assertTrue(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()) > 0);
        assertEquals(200, publishAs("198.51.100.51", "rated").statusCode(), "another publisher is not affected");
    }

    // --- requests and answers on raw sockets ---

    private SseClient subscribeAs(String client, String path) throws IOException {
        return SseClient.open(server.base(), path.startsWith(HUB) ? path : "events/" + path,
                Map.of("X-Forwarded-For", client));
    }

    private HttpResponse<String> publishAs(String client, String topic) throws Exception {
        return publishAs(client, topic, "x");
    }

    private HttpResponse<String> publishAs(String client, String topic, String msg) throws Exception {
        return http.send(HttpRequest.newBuilder(server.base().resolve("publish"))
                .header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"" + topic + "\",\"msg\":\"" + msg + "\"}")));
    }

    private static void assertRefused(SseClient client, int status) {
        assertEquals(status, client.status());
        assertTrue(Integer.parseInt(client.header("Retry-After")) > 0);
        assertTrue(client.header("Content-Type").startsWith("application/problem+json"));
    }

    private Socket connect() throws IOException {
        URI base = server.base();
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        return socket;
    }

    private byte[] head(String method, String path, long contentLength, Map<String, String> headers) {
        URI base = server.base();
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Length", Long.toString(contentLength));
        StringBuilder head = new StringBuilder(method).append(' ').append(base.getRawPath()).append(path)
                .append(" HTTP/1.1\r\nHost: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        all.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Waits for the server to end the connection, reading and ignoring what it sends meanwhile. */
    private static void assertClosed(Socket socket, Duration within, String who) throws IOException {
        readUntil(socket, within, read -> false,
                who + ": the connection is still open after " + within.toMillis() + " ms");
    }

    /**
     * Everything the server sends until it closes the connection or {@code within} has passed:
     * empty when it closed (or reset) without a word.
     */
    private static String answerOrClose(Socket socket, Duration within, String who) throws IOException {
        return readUntil(socket, within, HostileClientsIT::complete,
                who + " was neither answered nor closed within " + within.toMillis() + " ms");
    }

    /**
     * Reads what the server sends until it closes (or resets) the connection or {@code enough}
     * holds for what was read, and returns that; fails with {@code late} and what was read if
     * {@code within} passes first.
     */
    private static String readUntil(Socket socket, Duration within, Predicate<String> enough, String late)
            throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new AssertionError(late + ": " + answer);
            }
            socket.setSoTimeout((int) Math.min(left, 500));
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                answer.write(buffer, 0, n);
                if (enough.test(answer.toString(StandardCharsets.UTF_8))) {
                    break;
                }
            } catch (SocketTimeoutException notYet) {
                // keep waiting until the deadline
            } catch (IOException reset) {
                break;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** Whether a response head and its body, by {@code Content-Length} or chunks, have arrived. */
    private static boolean complete(String response) {
        int end = response.indexOf("\r\n\r\n");
        String length = header(response, "content-length");
        if (length != null) {
            return response.length() - end - 4 >= Integer.parseInt(length);
        }
        String encoding = header(response, "transfer-encoding");
        return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")
                && response.endsWith("\r\n0\r\n\r\n");
    }

    /** Whether the head of {@code response} declares neither a length nor chunks: its body ends with the connection. */
    private static boolean endsWithConnection(String response) {
        return response.contains("\r\n\r\n")
                && header(response, "content-length") == null && header(response, "transfer-encoding") == null;
    }

    /** The value of the header {@code name} (lower case) in the head of {@code response}, or {@code null}. */
    private static String header(String response, String name) {
        int end = response.indexOf("\r\n\r\n");
        if (end < 0) {
            return null;
        }
        for (String line : response.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
