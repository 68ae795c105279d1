package io.ssehub.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small HTTP/1.1 event-stream client on a raw socket, so tests control everything: read
 * incrementally, stop reading, or vanish with a TCP reset. Not thread-safe; one test thread uses it.
 */
public final class SseClient implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers;
    private final SseParser parser = new SseParser();
    private final Deque<SseParser.Event> ready = new ArrayDeque<>();
    private final boolean chunked;
    private long chunkLeft;
    private boolean eof;

    private SseClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        String statusLine = readLine();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        this.status = Integer.parseInt(statusLine.substring(9, 12));
        this.headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        this.chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
    }

    /** Connects and sends {@code GET path}; returns once the response head has arrived. */
    public static SseClient open(URI base, String path, Map<String, String> extraHeaders) throws IOException {
        return open(base, path, extraHeaders, 0);
    }

    /**
     * @param receiveBuffer if positive, the socket's receive buffer, set small for a client that
     *                      stops reading so the server's writes back up quickly
     */
    public static SseClient open(URI base, String path, Map<String, String> extraHeaders, int receiveBuffer)
            throws IOException {
        return open(base, path, extraHeaders, receiveBuffer, null);
    }

    /**
     * Connects from {@code local} (any 127.x.y.z address reaches a loopback server), so one test
     * can act as several client addresses.
     */
    public static SseClient openFrom(InetAddress local, URI base, String path, Map<String, String> extraHeaders)
            throws IOException {
        return open(base, path, extraHeaders, 0, local);
    }

    private static SseClient open(URI base, String path, Map<String, String> extraHeaders, int receiveBuffer,
                                  InetAddress local) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(base.getRawPath()).append(path.startsWith("/") ? path.substring(1) : path)
                .append(" HTTP/1.1\r\nHost: ").append(base.getHost()).append(':').append(base.getPort())
                .append("\r\nAccept: text/event-stream\r\n");
        extraHeaders.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return new SseClient(socket);
    }

    public static SseClient open(URI base, String path) throws IOException {
        return open(base, path, Map.of());
    }

    public int status() {
        return status;
    }

    /** A response header, by case-insensitive name; {@code null} if absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The next event, waiting at most {@code timeout}. */
    public SseParser.Event next(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ready.isEmpty()) {
            if (eof) {
                throw new IOException("stream ended");
            }
            readSome(deadline);
        }
        return ready.poll();
    }

    /** Collects {@code count} events, waiting at most {@code timeout} in all. */
    public List<SseParser.Event> next(int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<SseParser.Event> events = new ArrayList<>(count);
        while (events.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("got " + events.size() + " of " + count + " events in time");
            }
            events.add(next(Duration.ofNanos(left)));
        }
        return events;
    }

    /** Reads until the server ends the stream; returns the events that came before the end. */
    public List<SseParser.Event> readToEnd(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!eof) {
            readSome(deadline);
        }
        List<SseParser.Event> rest = new ArrayList<>(ready);
        ready.clear();
        return rest;
    }

    /** Keeps reading until {@code count} comment frames have arrived in all. */
    public void awaitComments(int count, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (parser.comments() < count) {
            if (eof) {
                throw new IOException("stream ended");
            }
            readSome(deadline);
        }
    }

    public int comments() {
        return parser.comments();
    }

    /** The reconnection time the server last set with {@code retry:}, {@code null} if none. */
    public Long retry() {
        return parser.retry();
    }

    /** Vanishes: closes the socket with a TCP reset, as a crashed client or a dropped network does. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readSome(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("no event in time");
        }
        socket.setSoTimeout((int) Math.max(1, left));
        byte[] buffer = new byte[8192];
        int n = readBody(buffer);
        if (n < 0) {
            eof = true;
            return;
        }
        ready.addAll(parser.feed(buffer, 0, n));
    }

    private int readBody(byte[] buffer) throws IOException {
        if (!chunked) {
            return in.read(buffer);
        }
        if (chunkLeft == 0) {
            String size = readLine();
            if (size != null && size.isEmpty()) {
                size = readLine(); // the CRLF that ends the previous chunk
            }
            if (size == null) {
                return -1;
            }
            int semicolon = size.indexOf(';');
            chunkLeft = Long.parseLong(semicolon < 0 ? size.trim() : size.substring(0, semicolon).trim(), 16);
            if (chunkLeft == 0) {
                return -1;
            }
        }
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, chunkLeft));
        if (n > 0) {
            chunkLeft -= n;
        }
        return n;
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
