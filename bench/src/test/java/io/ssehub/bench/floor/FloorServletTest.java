package io.ssehub.bench.floor;

import io.ssehub.bench.http.ChunkedDecoder;
import io.ssehub.bench.http.ResponseHead;
import io.ssehub.bench.server.JettyLauncher;
import io.ssehub.bench.server.TomcatLauncher;
import io.ssehub.bench.server.UndertowLauncher;
import io.ssehub.bench.sse.SseListener;
import io.ssehub.bench.sse.SseParser;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FloorServlet} deployed by {@link FloorApp} in each of the harness's launchers: a run
 * against it counts only if it loses nothing, so it must deliver every frame in order, also to a
 * client that stopped reading for a while.
 */
class FloorServletTest {

    /** The harness's launchers: Jetty sends on write, Tomcat and Undertow need the floor's flush. */
    enum Container { JETTY, TOMCAT, UNDERTOW }

    /** A started server and how to stop it. */
    private record Deployed(int port, Stopper stopper) {
    }

    private interface Stopper {
        void stop() throws Exception;
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    Path dir;
    private Deployed server;
    private int port;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stopper().stop();
        }
    }

    private void deploy(Container container) throws Exception {
        Path war = FloorApp.write(dir.resolve("floor"));
        server = switch (container) {
            case JETTY -> {
                Server jetty = JettyLauncher.start(war, 0);
                yield new Deployed(((ServerConnector) jetty.getConnectors()[0]).getLocalPort(), jetty::stop);
            }
            case TOMCAT -> {
                Tomcat tomcat = TomcatLauncher.start(war, 0);
                yield new Deployed(tomcat.getConnector().getLocalPort(), () -> {
                    tomcat.stop();
                    tomcat.destroy();
                });
            }
            case UNDERTOW -> {
                UndertowLauncher.Running undertow = UndertowLauncher.start(war, 0);
                yield new Deployed(undertow.port(), undertow::stop);
            }
        };
        port = server.port();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void deliversEveryFrameInOrderToAStreamThatStoppedReading(Container container) throws Exception {
        deploy(container);
        String message = "m".repeat(16 * 1024);
        int count = 1_000; // 16 MB: far more than the sockets hold, so frames wait for the listener
        try (Stream stream = subscribe("news")) {
            for (int i = 0; i < count; i++) {
                assertEquals(200, publish("{\"topic\":\"news\",\"msg\":\"" + i + ":" + message + "\"}"));
            }
            List<String> received = stream.read(count);
            for (int i = 0; i < count; i++) {
                assertEquals(i + ":" + message, received.get(i));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void publishesOnlyToTheTopicAndRefusesABodyWithoutItsFields(Container container) throws Exception {
        deploy(container);
        try (Stream news = subscribe("news"); Stream other = subscribe("other")) {
            assertEquals(400, publish("{\"topic\":\"news\"}"));
            assertEquals(200, publish("{\"topic\":\"other\",\"msg\":\"o\"}"));
            assertEquals(200, publish("{\"topic\":\"news\",\"msg\":\"n\"}"));
            assertEquals(List.of("n"), news.read(1));
            assertEquals(List.of("o"), other.read(1));
        }
        assertEquals(200, publish("{\"topic\":\"nobody\",\"msg\":\"x\"}"));
        HttpResponse<String> ready = http.send(request("/readyz").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode());
    }

    /** Opens a stream and returns once its head and the opening comment arrived. */
    private Stream subscribe(String topic) throws IOException {
        Stream stream = new Stream(new Socket("127.0.0.1", port));
        stream.socket.getOutputStream().write(("GET /events/" + topic + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        while (stream.comments == 0) {
            stream.readSome();
        }
        return stream;
    }

    /** One event stream read as the generator reads it: head, chunks, then the SSE parser. */
    private static final class Stream implements AutoCloseable {
        final Socket socket;
        final ResponseHead head = new ResponseHead();
        final List<String> events = new ArrayList<>();
        final ChunkedDecoder chunks;
        final byte[] buffer = new byte[64 * 1024];
        int comments;

        Stream(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            SseParser parser = new SseParser(new SseListener() {
                @Override
                public void onEvent(String type, byte[] data, int length, String id) {
                    events.add(new String(data, 0, length, StandardCharsets.UTF_8));
                }

                @Override
                public void onComment() {
                    comments++;
                }
            });
            chunks = new ChunkedDecoder(parser::feed);
        }

        /** Reads until {@code count} events arrived in all (10 s without a byte fails) and returns them. */
        List<String> read(int count) throws IOException {
            while (events.size() < count) {
                readSome();
            }
            return events;
        }

        void readSome() throws IOException {
            int n = socket.getInputStream().read(buffer);
            if (n < 0) {
                throw new IOException("closed after " + events.size() + " events");
            }
            int offset = 0;
            if (!head.complete()) {
                offset = head.feed(buffer, 0, n);
                if (offset < 0) {
                    return;
                }
                assertEquals(200, head.status());
            }
            chunks.feed(buffer, offset, n - offset);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private int publish(String body) throws Exception {
        HttpRequest request = request("/publish").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    }
}
