package io.ssehub.bench.load;

import io.ssehub.bench.http.ResponseReader;
import io.ssehub.bench.stats.LatencyHistogram;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Publishes as fast as the answers come back over many keep-alive connections driven by one
 * {@link Selector}: connection i goes to server i mod count (loopback servers only), non-blocking
 * with TCP_NODELAY, and is a closed loop. It writes one request (the rest on OP_WRITE when a write
 * is partial), reads until the whole answer is in ({@link ResponseReader}: head, then body by
 * Content-Length or chunked; bytes read past an answer are kept for the next one), books it and at
 * once sends the next request with the next sequence number, until the deadline.
 *
 * <p>Threading: {@link #run} does all the work on the calling thread and starts no other; an
 * instance serves one run.
 *
 * <p>What it counts, in the {@link PublishReport}, exactly for each request:
 * <ul>
 *   <li>{@code sent}: sequence numbers handed out, 0 upwards, each to one request of one connection;</li>
 *   <li>{@code ok}: answers with a 2xx status. Their sequence numbers are the {@code acked} bits and
 *       their latency (from just before the request was made, a connect included, to the answer's
 *       last byte) is recorded;</li>
 *   <li>{@code errors}: answers with another status, and requests whose connection failed (no
 *       connect, a write or read error, closed before the whole answer, a malformed answer);</li>
 *   <li>neither: a request still unanswered when the loop stops at the deadline, at most one a
 *       connection. It is not a failure (its sequence number is not acked either); the loop just
 *       stops waiting for it.</li>
 * </ul>
 * A failed connection is reopened for the next request, and given up after
 * {@value #MAX_FAILURES_IN_A_ROW} failures with no answer in between (the run ends early when every
 * connection has been given up). An answer with {@code Connection: close} counts by its status; the
 * next request goes on a new connection.
 */
final class FlatOutPublishers {

    static final int MAX_FAILURES_IN_A_ROW = 100;
    private static final byte[] NONE = new byte[0];

    private final PublishFormat format;
    private final String topic;
    private final List<Connection> connections = new ArrayList<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private Selector selector;
    private long deadline;
    private long nextSeq;
    private int active;

    FlatOutPublishers(List<InetSocketAddress> servers, PublishFormat format, String topic, int connections) {
        for (InetSocketAddress server : servers) {
            if (server.getAddress() == null || !server.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("not a loopback address: " + server);
            }
        }
        this.format = format;
        this.topic = topic;
        for (int i = 0; i < connections; i++) {
            this.connections.add(new Connection(servers.get(i % servers.size())));
        }
    }

    /** Publishes for {@code durationMillis}, then closes every connection. */
    PublishReport run(long durationMillis) throws IOException, InterruptedException {
        long start = System.nanoTime();
        deadline = start + durationMillis * 1_000_000L;
        selector = Selector.open();
        try {
            active = connections.size();
            for (Connection connection : connections) {
                connection.next();
            }
            while (active > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                selector.select(this::handle, Math.max(1, (left + 999_999) / 1_000_000));
            }
        } finally {
            connections.forEach(Connection::close);
            selector.close();
        }
        long elapsed = System.nanoTime() - start;
        LatencyHistogram latency = new LatencyHistogram();
        BitSet acked = new BitSet();
        long ok = 0;
        long errors = 0;
        for (Connection connection : connections) {
            latency.add(connection.latency);
            acked.or(connection.acked);
            ok += connection.ok;
            errors += connection.errors;
        }
        return new PublishReport(nextSeq, ok, errors, elapsed, latency, acked);
    }

    private void handle(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        if (!key.isValid()) {
            return; // closed earlier in this round
        }
        try {
            if (key.isConnectable()) {
                if (connection.channel.finishConnect()) {
                    connection.write();
                }
            } else if (key.isWritable()) {
                connection.write();
                connection.readEarlyBytes();
            } else if (key.isReadable()) {
                buffer.clear();
                int n = connection.channel.read(buffer);
                if (n < 0) {
                    throw new EOFException("connection closed before the whole answer");
                }
                connection.consume(buffer.array(), 0, n);
            }
        } catch (IOException | RuntimeException e) {
            if (connection.failed()) {
                connection.next();
            }
        }
    }

    private enum State { CONNECTING, WRITING, READING, DONE }

    /** One connection and its request in flight. */
    private final class Connection {
        final InetSocketAddress server;
        final String host;
        final LatencyHistogram latency = new LatencyHistogram();
        final BitSet acked = new BitSet();
        long ok;
        long errors;
        int failuresInARow;
        State state;
        SocketChannel channel;
        SelectionKey key;
        long seq;
        long sentNanos;
        ByteBuffer request;
        ResponseReader response;
        /** Bytes read past an answer while the next request was still being written. */
        byte[] early = NONE;

        Connection(InetSocketAddress server) {
            this.server = server;
            this.host = server.getHostString() + ":" + server.getPort();
        }

        /** Sends the next request (reopening the connection if needed), or stops at the deadline. */
        void next() {
            while (true) {
                if (System.nanoTime() - deadline >= 0) {
                    stop();
                    return;
                }
                seq = nextSeq++;
                sentNanos = System.nanoTime();
                request = ByteBuffer.wrap(format.request(host, topic, Payload.measured(seq, sentNanos)));
                response = new ResponseReader();
                try {
                    if (channel == null && !open()) {
                        return; // the request goes once the connect completes
                    }
                    write();
                    return;
                } catch (IOException | RuntimeException e) {
                    if (!failed()) {
                        return;
                    }
                }
            }
        }

        /** Starts connecting; returns whether the connection is already established. */
        private boolean open() throws IOException {
            channel = Sockets.openNonBlocking();
            boolean connected = channel.connect(server);
            state = connected ? State.WRITING : State.CONNECTING;
            key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
            return connected;
        }

        /** Writes what the socket takes of the request; once all is written, waits for the answer. */
        void write() throws IOException {
            channel.write(request);
            state = request.hasRemaining() ? State.WRITING : State.READING;
            key.interestOps(request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Reads the bytes kept while the request was being written, once it is. */
        void readEarlyBytes() {
            if (state == State.READING && early.length > 0) {
                byte[] bytes = early;
                early = NONE;
                consume(bytes, 0, bytes.length);
            }
        }

        /**
         * Feeds bytes read from the current channel; every complete answer is booked and followed
         * by the next request. Bytes left when the channel has been closed meanwhile are dropped.
         */
        void consume(byte[] bytes, int offset, int length) {
            SocketChannel from = channel;
            while (length > 0 && state == State.READING && channel == from) {
                int used = response.feed(bytes, offset, length);
                offset += used;
                length -= used;
                if (response.complete()) {
                    answered();
                }
            }
            if (length > 0 && state == State.WRITING && channel == from) {
                int kept = early.length;
                early = Arrays.copyOf(early, kept + length);
                System.arraycopy(bytes, offset, early, kept, length);
            }
        }

        private void answered() {
            failuresInARow = 0;
            int status = response.head().status();
            if (status >= 200 && status < 300) {
                latency.record(System.nanoTime() - sentNanos);
                acked.set((int) seq);
                ok++;
            } else {
                errors++;
            }
            if (response.head().connectionClose()) {
                close();
            }
            next();
        }

        /** Books the request in flight as failed and closes; returns whether to go on with a new connection. */
        boolean failed() {
            errors++;
            close();
            if (++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
                stop();
                return false;
            }
            return true;
        }

        private void stop() {
            if (state != State.DONE) {
                state = State.DONE;
                active--;
            }
            close();
        }

        void close() {
            if (channel != null) {
                Sockets.reset(channel);
                channel = null;
                key = null;
            }
            early = NONE;
        }
    }
}
