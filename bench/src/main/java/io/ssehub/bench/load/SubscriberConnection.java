package io.ssehub.bench.load;

import io.ssehub.bench.http.ChunkedDecoder;
import io.ssehub.bench.http.ResponseHead;
import io.ssehub.bench.sse.SseListener;
import io.ssehub.bench.sse.SseParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One event-stream subscription over one non-blocking socket: sends the GET, reads the response
 * head, undoes chunked coding if present, parses SSE and books every event in its {@link Ledger}.
 * Only its {@link SelectorLoop}'s thread touches it.
 */
final class SubscriberConnection implements SseListener {

    enum State { CONNECTING, SENDING, HEAD, STREAMING, CLOSED }

    private final SocketChannel channel;
    private final ByteBuffer request;
    private final SelectorLoop loop;
    private final ResponseHead head = new ResponseHead();
    private final SseParser parser = new SseParser(this);
    private final Payload.Parsed parsed = new Payload.Parsed();
    final Ledger ledger = new Ledger();
    private ChunkedDecoder chunks;
    State state = State.CONNECTING;

    SubscriberConnection(SocketChannel channel, byte[] request, SelectorLoop loop) {
        this.channel = channel;
        this.request = ByteBuffer.wrap(request);
        this.loop = loop;
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
                loop.failed(this, "HTTP " + head.status());
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
        if (!type.equals("message")) {
            ledger.otherEvent();
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
