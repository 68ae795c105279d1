package io.ssehub.http;

import io.ssehub.http.filter.AccessLogFilter;
import io.ssehub.sse.Container;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lingering close: reads and throws away the rest of a refused request's body once its answer
 * is out, so that the connection then ends in order and the client reads the answer.
 *
 * <p>A connection closed while bytes the client sent are still unread is ended by the kernel with
 * a reset, and a reset that reaches the client before it has read the answer destroys the answer:
 * a publisher sent 413 or 401 sees "connection reset" or an empty reply instead. Publishing
 * 256 KiB bodies over loopback without this, 24 of 200 answers 413 were lost this way on Jetty and
 * 4 of 200 on Undertow; on Tomcat 8-17 of 400 from four concurrent clients while the rest could not
 * be read there ({@link #answerLeavesLengthUndeclared}). Web servers have long
 * drained such bodies before closing; here it costs no thread: the rest is read by a
 * {@link ReadListener} as it arrives, at most {@link #MAX_BYTES} and within {@link #MAX_TIME}. A
 * body larger than that, one still arriving after it, or a request already in async mode is
 * dropped at once as before (see {@link UnreadBodies}); its client may then see a reset, never a
 * thread held.
 */
final class Lingering implements ReadListener, AsyncListener {

    /** The most of a refused body read and thrown away; a larger one is dropped. */
    static final long MAX_BYTES = 1024 * 1024;
    /** How long the rest of a refused body may take to arrive before the connection is dropped. */
    static final Duration MAX_TIME = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(Lingering.class);

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AsyncContext async;
    private final ServletInputStream in;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final byte[] sink = new byte[8192];
    private long discarded;

    private Lingering(HttpServletRequest request, HttpServletResponse response, AsyncContext async,
            ServletInputStream in) {
        this.request = request;
        this.response = response;
        this.async = async;
        this.in = in;
    }

    /**
     * Sends the answer written so far and reads the rest of the body without a thread, then
     * completes the request. Call it on the request's own dispatch, with the whole answer written.
     *
     * @return whether the body is being read; if not, nothing was changed and the caller drops it
     */
    static boolean afterAnswer(HttpServletRequest request, HttpServletResponse response) {
        if (!applies(request)) {
            return false;
        }
        ServletInputStream in;
        try {
            in = request.getInputStream();
            response.flushBuffer();
        } catch (IOException | IllegalStateException e) {
            return false;
        }
        request.setAttribute(AccessLogFilter.ANSWERED_LATER, Boolean.TRUE);
        AsyncContext async = request.startAsync();
        async.setTimeout(MAX_TIME.toMillis());
        Lingering lingering = new Lingering(request, response, async, in);
        async.addListener(lingering);
        try {
            in.setReadListener(lingering);
        } catch (IllegalStateException e) {
            lingering.drop(e);
        }
        return true;
    }

    /** Whether the rest of this request's refused body would be read after its answer, by {@link #afterAnswer}. */
    static boolean applies(HttpServletRequest request) {
        return request.getContentLengthLong() <= MAX_BYTES && !request.isAsyncStarted() && request.isAsyncSupported();
    }

    /**
     * Whether an answer followed by this reading must leave its length undeclared. Tomcat closes a
     * response once it has written the length it declared, as the servlet specification asks, and
     * closes the request's input with it, so the first read of the rest failed: the connection was
     * then closed over the unread bytes and reset, and a client still sending (the JDK's
     * {@code HttpClient}) lost 2-3 % of its 413s under load. Undeclared, the answer is sent at once
     * all the same and ends with the connection, once the rest is read (or dropped). Jetty and
     * Undertow keep the input open, and their answers keep their length, complete as they arrive.
     */
    static boolean answerLeavesLengthUndeclared(HttpServletRequest request) {
        return Container.of(request) == Container.TOMCAT;
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (in.isReady()) {
            int n = in.read(sink);
            if (n < 0) {
                return;
            }
            discarded += n;
            if (discarded > MAX_BYTES) {
                // Throwing makes the container give the body up; onError drops the connection.
                throw new IOException("a refused body over " + MAX_BYTES + " bytes is not read");
            }
        }
    }

    @Override
    public void onAllDataRead() {
        if (ended.compareAndSet(false, true)) {
            async.complete();
        }
    }

    @Override
    public void onError(Throwable failure) {
        drop(failure);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        drop(event.getThrowable());
    }

    @Override
    public void onError(AsyncEvent event) {
        drop(event.getThrowable());
    }

    /** Ends the request with the rest of the body unread: the connection is dropped, not drained. */
    private void drop(Throwable why) {
        if (ended.compareAndSet(false, true)) {
            log.debug("dropping the connection of a refused body after {} bytes: {}", discarded,
                    why == null ? "out of time" : why.toString());
            UnreadBodies.dropAfterAnswer(request, response);
            async.complete();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
