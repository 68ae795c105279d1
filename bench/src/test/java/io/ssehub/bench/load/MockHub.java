package io.ssehub.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny in-process SSE hub on 127.0.0.1 with ssehub's API ({@code GET /events/{topic}},
 * {@code POST /publish}) that misbehaves on purpose: a {@link Fault} decides for each subscriber
 * (numbered in connection order from 0) and each measured sequence number whether the event is
 * dropped, sent once or sent twice. Streams are chunked and deliberately awkward to parse: each
 * subscriber gets a different line ending (LF, CRLF, CR), comments, {@code id:} lines, a
 * {@code ready} event, and each frame is flushed in two pieces split mid-line.
 */
final class MockHub implements AutoCloseable {

    /** How often subscriber {@code subscriber} gets message {@code seq}: 0, 1 or 2 times. */
    @FunctionalInterface
    interface Fault {
        int copies(int subscriber, long seq);
    }

    private static final Pattern MSG = Pattern.compile("\"msg\":\"([^\"]*)\"");
    private static final Pattern SEQ = Pattern.compile("^m:(\\d+):");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Fault fault;

    MockHub(Fault fault) throws IOException {
        this.fault = fault;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(threads);
        server.createContext("/events/", this::subscribe);
        server.createContext("/publish", this::publish);
        server.start();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    private final class Stream {
        final int index;
        final OutputStream out;
        final String eol;

        Stream(int index, OutputStream out) {
            this.index = index;
            this.out = out;
            this.eol = switch (index % 3) {
                case 0 -> "\n";
                case 1 -> "\r\n";
                default -> "\r";
            };
        }

        synchronized void send(String frame) {
            byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
            int half = bytes.length / 2;
            try {
                out.write(bytes, 0, half);
                out.flush();
                out.write(bytes, half, bytes.length - half);
                out.flush();
            } catch (IOException gone) {
                streams.remove(this);
            }
        }
    }

    private void subscribe(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0); // 0: chunked
        Stream stream;
        synchronized (streams) {
            stream = new Stream(streams.size(), exchange.getResponseBody());
            String e = stream.eol;
            stream.send("event: ready" + e + "data: subscribed" + e + e + ":hello" + e + e);
            streams.add(stream);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.close();
    }

    private void publish(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Matcher msg = MSG.matcher(body);
        if (!msg.find()) {
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
        }
        String text = msg.group(1);
        Matcher seq = SEQ.matcher(text);
        int delivered = 0;
        for (Stream stream : streams) {
            int copies = seq.find(0) ? fault.copies(stream.index, Long.parseLong(seq.group(1))) : 1;
            for (int i = 0; i < copies; i++) {
                String e = stream.eol;
                stream.send("id: " + i + e + "data: " + text + e + e + (i == 0 ? ":" + e : ""));
            }
            delivered += copies > 0 ? 1 : 0;
        }
        byte[] answer = ("{\"delivered\":" + delivered + ",\"topic\":\"t\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
