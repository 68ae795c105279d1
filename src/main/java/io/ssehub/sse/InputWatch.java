package io.ssehub.sse;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Reads a stream's request input for as long as the stream is open, so that what the client does
 * with its side of the connection is seen at once: an error reading it (the client reset or closed
 * the connection) closes the stream, and so does sending more than a stream accepts. A stream
 * request has no use for a body: whatever comes is read and discarded, up to a limit, never
 * buffered.
 *
 * <p>Threading: the container calls the listener methods, one at a time; {@link #stop} may be
 * called from any thread.
 */
final class InputWatch implements ReadListener {

    private static final Logger log = LoggerFactory.getLogger(InputWatch.class);
    private static final int SCRATCH_BYTES = 512;

    private final SseStream stream;
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;
    private byte[] scratch;
    private volatile boolean stopped;

    InputWatch(SseStream stream, ServletInputStream in, long maxBytes) {
        this.stream = stream;
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** Registers the listener; the stream is async by now. */
    void start() {
        in.setReadListener(this);
    }

    /** The stream closed: nothing more to watch for. */
    void stop() {
        stopped = true;
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!stopped && in.isReady()) {
            if (scratch == null) {
                scratch = new byte[SCRATCH_BYTES];
            }
            int n = in.read(scratch);
            if (n < 0) {
                return; // onAllDataRead follows
            }
            read += n;
            if (read > maxBytes) {
                stream.inputEnded(CloseReason.CLIENT_SENT_TOO_MUCH);
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        scratch = null; // a GET has no body: its end says nothing about the connection
    }

    @Override
    public void onError(Throwable t) {
        log.debug("reading the stream request failed: {}", t.toString());
        stream.inputEnded(CloseReason.CLIENT_GONE);
    }
}
