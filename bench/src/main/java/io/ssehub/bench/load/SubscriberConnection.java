package io.ssehub.bench.load;

import io.ssehub.bench.http.ChunkedDecoder;
import io.ssehub.bench.http.ResponseHead;
import io.ssehub.bench.sse.SseListener;
import io.ssehub.bench.sse.SseParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One event-stream subscriber over one non-blocking socket at a time: sends the GET, reads the
 * response head, undoes chunked coding if present, parses SSE and books every event in its
 * {@link Ledger}. Like an {@code EventSource}, it can be {@linkplain #reopen reopened} on a new
 * socket after its connection dropped; the ledger, the last event ID and the reconnection time
 * ({@code retry:}) carry over, and the new request sends that ID as {@code Last-Event-ID}. Only
 * its {@link SelectorLoop}'s thread touches it.
 */
final class SubscriberConnection implements SseListener {

    /**
     * CONNECTING, SENDING, HEAD, STREAMING: one attempt's progress. DROPPED: not connected, waiting
     * to reopen (after a drop on purpose, or a refused or failed reconnection). CLOSED: over (failed, or ended by the server).
     */
    enum State { CONNECTING, SENDING, HEAD, STREAMING, DROPPED, CLOSED }

    private final SelectorLoop loop;
    private final Payload.Parsed parsed = new Payload.Parsed();
    final Ledger ledger = new Ledger();
    private SocketChannel channel;
    private ByteBuffer request;
    private ResponseHead head;
    private SseParser parser;
    private ChunkedDecoder chunks;
    /**
     * The ID of the last event dispatched, on this stream or the ones before: what an
     * {@code EventSource} sends as {@code Last-Event-ID}. Not the parser's buffer, which may already
     * hold the ID of an event whose data has not all arrived: resuming after that would skip it.
     */
    private String lastEventId = "";
    /**
     * The reconnection time the server set with {@code retry:} on an earlier stream of this
     * subscriber, -1 if none; the current stream's parser holds a newer one, if any.
     */
    private long retryMillis = -1;
    /** Whether this attempt is a reconnection (after a drop), which is retried when it fails. */
    boolean resuming;
    /** Whether it streamed again after the drop: a later stream is a reconnection after a server close. */
    boolean back;
    /** Answers with another status than 200 this subscriber got. */
    int refusals;
    State state = State.CONNECTING;

    SubscriberConnection(SocketChannel channel, byte[] request, SelectorLoop loop) {
        this.loop = loop;
        attempt(channel, request);
    }

    private void attempt(SocketChannel channel, byte[] request) {
        if (parser != null && parser.retryMillis() >= 0) {
            retryMillis = parser.retryMillis();
        }
        this.channel = channel;
        this.request = ByteBuffer.wrap(request);
        this.head = new ResponseHead();
        this.parser = new SseParser(this, lastEventId);
        this.chunks = null;
        this.state = State.CONNECTING;
    }

    /**
     * Starts another attempt on a new socket, as an {@code EventSource} reconnects; call only
     * when the previous socket is closed (state DROPPED, or a failed reconnection).
     */
    void reopen(SocketChannel channel, byte[] request) {
        resuming = true;
        attempt(channel, request);
    }

    /** Closes the stream on purpose, with a reset, as a dropped network or a failed-over load balancer would. */
    void drop() {
        state = State.DROPPED;
        Sockets.reset(channel);
    }

    /** The last event ID the server gave this subscriber, {@code ""} if none: its {@code Last-Event-ID}. */
    String lastEventId() {
        return lastEventId;
    }

    /**
     * How long an {@code EventSource} waits before it reconnects after its stream ended: the last
     * {@code retry:} the server sent on any of its streams, else {@code defaultMillis}.
     */
    long reconnectionMillis(long defaultMillis) {
        long current = parser.retryMillis();
        return current >= 0 ? current : retryMillis >= 0 ? retryMillis : defaultMillis;
    }

    /**
     * Whether the response's body has ended (its last chunk arrived): the server ended the stream,
     * although the connection may stay open for another request, as a container keeps it.
     */
    boolean responseEnded() {
        return state == State.STREAMING && chunks != null && chunks.finished();
    }

    SocketChannel channel() {
        return channel;
    }

    /** Completes the connect; returns true when the request may be sent. */
    boolean finishConnect() throws IOException {
        if (!channel.finishConnect()) {
            return false;
        }
        state = State.SENDING;
        return true;
    }

    /** Writes what it can of the request; returns true once all of it is written. */
    boolean sendRequest() throws IOException {
        channel.write(request);
        if (request.hasRemaining()) {
            return false;
        }
        state = State.HEAD;
        return true;
    }

    /** Handles bytes read from the socket. */
    void received(byte[] bytes, int length) {
        int offset = 0;
        if (state == State.HEAD) {
            int bodyStart = head.feed(bytes, 0, length);
            if (bodyStart < 0) {
                return;
            }
            if (head.status() != 200) {
                loop.refused(this, head.status());
                return;
            }
            state = State.STREAMING;
            loop.connected(this);
            if (head.chunked()) {
                chunks = new ChunkedDecoder(parser::feed);
            }
            offset = bodyStart;
        }
        if (state == State.STREAMING && offset < length) {
            if (chunks != null) {
                chunks.feed(bytes, offset, length - offset);
            } else {
                parser.feed(bytes, offset, length - offset);
            }
        }
    }

    @Override
    public void onEvent(String type, byte[] data, int dataLength, String lastEventId) {
        this.lastEventId = lastEventId;
        if (!type.equals("message")) {
            ledger.otherEvent();
            if (type.equals("reset")) {
                ledger.reset();
            }
            return;
        }
        Payload.parse(data, dataLength, parsed);
        switch (parsed.kind) {
            case MEASURED -> {
                if (ledger.measured(parsed.seq)) {
                    loop.delivered(System.nanoTime() - parsed.sendNanos);
                }
            }
            case WARMUP -> loop.warmupReceived(ledger.warmup());
            default -> ledger.malformed();
        }
    }
}
