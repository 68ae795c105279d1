package io.ssehub.it;

import io.ssehub.testing.SseParser;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a stream puts on the wire, read byte by byte off a raw socket: after each batch, every byte
 * a client needs to dispatch it has been sent, on every container. In a chunked body that includes
 * the chunk's terminating CRLF: clients built on Python's urllib3 ({@code requests} and the SSE
 * clients on top of it) read a chunk's CRLF before they hand its data on, so a CRLF held back until
 * the next chunk makes them lag one event, and a quiet topic's last event waits for the next
 * keep-alive. Keep-alives are an hour apart here, so nothing but the batch itself can complete it.
 */
class WireIT extends ItSupport {

    /**
     * How soon an event on a quiet topic must be dispatched after its publish. Locally it takes a
     * few milliseconds; the bound leaves room for a loaded CI machine and is still far below the
     * keep-alive interval (15 s by default) that an incomplete chunk waits for.
     */
    static final Duration PROMPTLY = Duration.ofSeconds(1);

    @Override
    Map<String, String> params() {
        return Map.of(
                "ssehub.tick.interval", "0",
                "ssehub.keepalive.interval", "1h");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void anEventsChunkIsCompleteWithoutWaitingForTheNext(String version) throws Exception {
        String topic = "wire-whole-" + version.charAt(7);
        try (RawStream stream = RawStream.open(server.base(), "events/" + topic, version)) {
            assertEquals(200, stream.status(), stream.head());
            assertNull(stream.header("Content-Length"), "a stream has no length: " + stream.head());
            if (!stream.chunked()) {
                // Delimited by the end of the connection, which HTTP/1.1 must announce.
                assertTrue(version.equals("HTTP/1.0") || "close".equalsIgnoreCase(stream.header("Connection")),
                        "an HTTP/1.1 body that is not chunked ends with the connection: " + stream.head());
            }
            stream.awaitDispatchable("event: ready\ndata: subscribed to \"" + topic + "\"\n\n", WAIT);

            String id = publishOk(topic, "whole").get("id").asText();
            String frame = "id: " + id + "\ndata: whole\n\n";
            stream.awaitDispatchable(frame, WAIT);
            if (stream.chunked()) {
                assertTrue(stream.wire().contains(frame + "\r\n"),
                        "the frame's chunk ends right after it: " + stream.describe());
            }
        }
    }

    /**
     * A client that, as urllib3 does, hands a chunk's data on only once it has read the chunk's
     * CRLF, and dispatches events as its SSE parser completes them. Each event on a quiet topic must
     * reach it before the next is published; from just before each publish, within {@link #PROMPTLY}.
     */
    @Test
    void aClientThatReadsEachChunksEndGetsEveryEventBeforeTheNextIsPublished() throws Exception {
        String topic = "wire-eager";
        try (RawStream stream = RawStream.open(server.base(), "events/" + topic, "HTTP/1.1")) {
            SseParser parser = new SseParser();
            assertEquals("ready", stream.nextEvent(parser, WAIT).type());
            for (int i = 0; i < 3; i++) {
                long publishing = System.nanoTime();
                String id = publishOk(topic, "quiet " + i).get("id").asText();
                SseParser.Event event = stream.nextEvent(parser, WAIT);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishing);
                assertEquals(new SseParser.Event(id, "message", "quiet " + i, null), event);
                assertTrue(millis <= PROMPTLY.toMillis(), "event " + i + " was dispatched " + millis
                        + " ms after its publish started: " + stream.describe());
            }
        }
    }

    /**
     * The issue's own client, when this machine has it: Python's {@code requests} ({@code stream=True},
     * {@code iter_lines}), or bare urllib3, which reads each chunk's CRLF before handing its data on.
     * The standard library's {@code http.client} is no stand-in: it reads that CRLF only when asked for
     * more, as a browser does, so it does not see the lag.
     */
    @Test
    void aPythonRequestsClientPrintsEachEventBeforeTheNextIsPublished() throws Exception {
        Assumptions.assumeTrue(pythonHasUrllib3(), "python3 with urllib3 (or requests) is not installed here");
        String topic = "wire-python";
        Process python = new ProcessBuilder("python3", "-u", "-c", PYTHON_READER,
                server.base().resolve("events/" + topic).toString())
                .redirectErrorStream(true)
                .start();
        try (ClientExamplesIT.Output printed = ClientExamplesIT.Output.of(python)) {
            String ready = "data: subscribed to \"" + topic + "\"";
            printed.await(ready::equals, ready, WAIT);
            for (int i = 0; i < 3; i++) {
                long publishing = System.nanoTime();
                publishOk(topic, "from python " + i);
                String event = "data: from python " + i;
                printed.await(event::equals, event, WAIT);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishing);
                assertTrue(millis <= PROMPTLY.toMillis(),
                        "python printed event " + i + " " + millis + " ms after its publish started: " + printed.seen());
            }
        }
    }

    /** Prints {@code open <status>}, then every line of the stream as the client yields it. */
    static final String PYTHON_READER = """
            import sys
            url = sys.argv[1]
            try:
                import requests
                session = requests.Session()
                session.trust_env = False  # no proxy from the environment
                response = session.get(url, stream=True, timeout=(5, 60), headers={"Accept": "text/event-stream"})
                print("open", response.status_code, "requests", flush=True)
                lines = response.iter_lines()
            except ImportError:
                import urllib3
                response = urllib3.PoolManager().request("GET", url, preload_content=False,
                        timeout=urllib3.Timeout(connect=5, read=60), headers={"Accept": "text/event-stream"})
                print("open", response.status, "urllib3", flush=True)
                def split(chunks):
                    pending = b""
                    for chunk in chunks:
                        *complete, pending = (pending + chunk).split(b"\\n")
                        yield from complete
                lines = split(response.stream(512))
            for line in lines:
                print(line.decode("utf-8"), flush=True)
            """;

    private static boolean pythonHasUrllib3() throws InterruptedException {
        try {
            Process check = new ProcessBuilder("python3", "-c", "import urllib3")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!check.waitFor(20, TimeUnit.SECONDS)) {
                check.destroy();
                return false;
            }
            return check.exitValue() == 0;
        } catch (IOException noPython) {
            return false;
        }
    }

    /**
     * A stream on a raw socket, read one byte at a time. It keeps the body as it came off the wire
     * apart from the data a client may hand on: in a chunked body, a chunk's data only once its
     * terminating CRLF has been read (as urllib3 does); in a body delimited by the end of the
     * connection, every byte as it arrives.
     */
    static final class RawStream implements Closeable {

        private enum Chunk { SIZE, DATA, DATA_CR, DATA_LF, TRAILERS, DONE }

        private final Socket socket;
        private final InputStream in;
        private final String head;
        private final int status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final boolean chunked;
        /** The body's bytes as they arrived, framing and all. */
        private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        /** What a client may hand on so far. */
        private final ByteArrayOutputStream dispatchable = new ByteArrayOutputStream();
        private int handedToParser;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final ByteArrayOutputStream chunkData = new ByteArrayOutputStream();
        private Chunk state = Chunk.SIZE;
        private long chunkLeft;
        private boolean eof;

        private RawStream(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            String statusLine = readHeadLine();
            head.append(statusLine).append('\n');
            this.status = Integer.parseInt(statusLine.substring(9, 12));
            for (String field; !(field = readHeadLine()).isEmpty(); ) {
                head.append(field).append('\n');
                int colon = field.indexOf(':');
                headers.merge(field.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        field.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            this.head = head.toString();
            this.chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        }

        static RawStream open(URI base, String path, String version) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
                socket.setSoTimeout((int) WAIT.toMillis());
                String request = "GET " + TestServer.CONTEXT + "/" + path + " " + version + "\r\n"
                        + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                        + "Accept: text/event-stream\r\n\r\n";
                OutputStream out = socket.getOutputStream();
                out.write(request.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return new RawStream(socket);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        int status() {
            return status;
        }

        String head() {
            return head;
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        boolean chunked() {
            return chunked;
        }

        /** The body so far as it came off the wire, one char per byte. */
        String wire() {
            return wire.toString(StandardCharsets.ISO_8859_1);
        }

        String describe() {
            return "wire " + escape(wire()) + ", of which a client may hand on "
                    + escape(dispatchable.toString(StandardCharsets.ISO_8859_1));
        }

        /** Reads until what a client may hand on holds {@code text}; fails at the deadline. */
        void awaitDispatchable(String text, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!dispatchable.toString(StandardCharsets.UTF_8).contains(text)) {
                if (!readByte(deadline)) {
                    throw new AssertionError("not complete within " + timeout.toMillis() + " ms: " + escape(text)
                            + "; " + describe());
                }
            }
        }

        /** The next event {@code parser} dispatches from what a client may hand on; fails at the deadline. */
        SseParser.Event nextEvent(SseParser parser, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                byte[] data = dispatchable.toByteArray();
                List<SseParser.Event> events = parser.feed(data, handedToParser, data.length - handedToParser);
                handedToParser = data.length;
                if (!events.isEmpty()) {
                    assertEquals(1, events.size(), "one event at a time: " + events);
                    return events.get(0);
                }
                if (!readByte(deadline)) {
                    throw new AssertionError("no event within " + timeout.toMillis() + " ms; " + describe());
                }
            }
        }

        /** Reads one byte of the body; false at the deadline or the end of the body. */
        private boolean readByte(long deadline) throws IOException {
            if (eof) {
                return false;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) left);
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (b < 0) {
                eof = true;
                return false;
            }
            wire.write(b);
            if (chunked) {
                decodeChunked(b);
            } else {
                dispatchable.write(b);
            }
            return true;
        }

        private void decodeChunked(int b) {
            switch (state) {
                case SIZE -> {
                    if (b != '\n') {
                        line.write(b);
                        return;
                    }
                    String size = line.toString(StandardCharsets.US_ASCII).trim();
                    line.reset();
                    int extension = size.indexOf(';');
                    chunkLeft = Long.parseLong(extension < 0 ? size : size.substring(0, extension).trim(), 16);
                    state = chunkLeft == 0 ? Chunk.TRAILERS : Chunk.DATA;
                }
                case DATA -> {
                    chunkData.write(b);
                    if (--chunkLeft == 0) {
                        state = Chunk.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    assertEquals('\r', b, "a chunk's data ends with CRLF: " + describe());
                    state = Chunk.DATA_LF;
                }
                case DATA_LF -> {
                    assertEquals('\n', b, "a chunk's data ends with CRLF: " + describe());
                    dispatchable.writeBytes(chunkData.toByteArray()); // only now, as urllib3 does
                    chunkData.reset();
                    state = Chunk.SIZE;
                }
                case TRAILERS -> {
                    if (b != '\n') {
                        line.write(b);
                        return;
                    }
                    boolean last = line.toString(StandardCharsets.US_ASCII).trim().isEmpty();
                    line.reset();
                    if (last) {
                        state = Chunk.DONE;
                        eof = true;
                    }
                }
                case DONE -> throw new AssertionError("bytes after the last chunk: " + describe());
            }
        }

        private String readHeadLine() throws IOException {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("the connection closed in the response head: " + text);
                }
                text.write(b);
            }
            String read = text.toString(StandardCharsets.ISO_8859_1);
            return read.endsWith("\r") ? read.substring(0, read.length() - 1) : read;
        }

        private static String escape(String text) {
            return "\"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\"";
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
