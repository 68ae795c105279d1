package io.ssehub.bench.floor;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The container's floor: the least a servlet can do to serve the harness's scenarios, so a run
 * against it shows what the container alone costs. It is not ssehub and has none of its features:
 * no ids, no replay, no limits, no filters, no escaping, no keep-alives, no queue bound.
 *
 * <p>{@code GET /events/{topic}} opens an async stream and writes one comment so the head goes out;
 * {@code POST /publish} with the harness's body {@code {"topic":"..","msg":".."}} writes
 * {@code data: msg} to every stream of the topic from the publishing thread, and answers as the
 * API does: 200 {@code application/json} with {@code {"delivered":N,"topic":"..","id":".."}} (the
 * id a counter), so the container's cost of writing that answer is in the floor as in ssehub.
 * On Jetty it writes through {@code write(ByteBuffer)}, which sends at once; on containers that
 * buffer (Tomcat, Undertow) it writes arrays and flushes, as ssehub does. A stream whose container
 * is not ready keeps frames in a deque that its write listener drains. {@code GET /readyz}
 * answers 200. Deployed by {@link FloorApp}.
 */
public final class FloorServlet extends HttpServlet {

    private static final byte[] OPENED = ": ok\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, Set<Stream>> topics = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        if (path.equals("/readyz")) {
            response.setStatus(200);
            return;
        }
        if (!path.startsWith("/events/")) {
            response.sendError(404);
            return;
        }
        String topic = path.substring("/events/".length());
        response.setStatus(200);
        response.setContentType("text/event-stream");
        if (response.getClass().getName().startsWith("io.undertow.")) {
            response.setBufferSize(0); // as ssehub does: else Undertow holds a pooled 16 KiB per stream
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        Set<Stream> streams = topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet());
        Stream stream = new Stream(response.getOutputStream(), async, streams);
        stream.out.setWriteListener(stream); // before a publish can reach it, so it never writes blocking
        streams.add(stream);
        stream.send(OPENED);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String topic = field(body, "topic");
        String msg = field(body, "msg");
        if (topic == null || msg == null) {
            response.sendError(400);
            return;
        }
        byte[] frame = ("data: " + msg + "\n\n").getBytes(StandardCharsets.UTF_8);
        Set<Stream> streams = topics.get(topic);
        int delivered = 0;
        if (streams != null) {
            for (Stream stream : streams) {
                stream.send(frame);
                delivered++;
            }
        }
        byte[] answer = ("{\"delivered\":" + delivered + ",\"topic\":\"" + topic + "\",\"id\":\"floor-"
                + published.incrementAndGet() + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(answer.length);
        response.getOutputStream().write(answer);
    }

    /** The string value of {@code "name":"value"} in the harness's flat JSON, without escapes. */
    private static String field(String body, String name) {
        String key = "\"" + name + "\":\"";
        int start = body.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = body.indexOf('"', start);
        return end < 0 ? null : body.substring(start, end);
    }

    /**
     * Jetty's {@code write(ByteBuffer)}, which sends at once (Servlet 6.1; the harness compiles
     * against 6.0), or empty for a container that buffers, where the floor writes arrays and
     * flushes as ssehub does. Looked up once per class of output stream, as ssehub does: a lookup
     * per stream was booked as the container's cost of opening one.
     */
    private static final ClassValue<Optional<MethodHandle>> SENDING_WRITE = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            if (!type.getName().startsWith("org.eclipse.jetty.")) {
                return Optional.empty();
            }
            try {
                return Optional.of(MethodHandles.publicLookup()
                        .findVirtual(type, "write", MethodType.methodType(void.class, ByteBuffer.class))
                        .asType(MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Jetty without write(ByteBuffer): " + type, e);
            }
        }
    };

    /** One open stream: writes at once when the container is ready, else queues for the listener. */
    private static final class Stream implements WriteListener {
        final ServletOutputStream out;
        final AsyncContext async;
        final Set<Stream> owner;
        final MethodHandle sendingWrite;
        final ArrayDeque<byte[]> pending = new ArrayDeque<>(2);
        boolean writing;
        /** Written into a buffering container's buffer and not flushed yet. */
        boolean unflushed;

        Stream(ServletOutputStream out, AsyncContext async, Set<Stream> owner) {
            this.out = out;
            this.sendingWrite = SENDING_WRITE.get(out.getClass()).orElse(null);
            this.async = async;
            this.owner = owner;
        }

        synchronized void send(byte[] frame) {
            pending.add(frame);
            if (!writing) {
                drain();
            }
        }

        @Override
        public synchronized void onWritePossible() {
            writing = false;
            drain();
        }

        /** Holds the lock; writes what is pending while the container says it is ready, then flushes. */
        private void drain() {
            try {
                while (!pending.isEmpty()) {
                    if (!out.isReady()) {
                        writing = true;
                        return;
                    }
                    byte[] frame = pending.poll();
                    if (sendingWrite != null) {
                        sendingWrite.invoke(out, ByteBuffer.wrap(frame));
                    } else {
                        out.write(frame);
                        unflushed = true;
                    }
                }
                if (!out.isReady()) {
                    writing = true;
                    return;
                }
                if (unflushed) {
                    unflushed = false;
                    out.flush();
                    writing = !out.isReady();
                }
            } catch (Throwable e) {
                onError(e);
            }
        }

        @Override
        public void onError(Throwable t) {
            if (owner.remove(this)) { // once: both a failed write and the container may report it
                try {
                    async.complete();
                } catch (IllegalStateException alreadyEnded) {
                    // the container ended the response first; nothing is left to release
                }
            }
        }
    }
}
