package io.ssehub.http;

import io.ssehub.http.filter.AccessLogFilter;
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
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads a request body without holding a container thread while it arrives, then hands it to the
 * handler's continuation. The request goes async, a {@link ReadListener} takes whatever bytes are
 * there each time the container says more arrived, and the continuation runs on a container
 * thread once the body is complete; it answers the request, and the reader completes it.
 *
 * <p>Every body pays for itself:
 * <ul>
 *   <li>at most {@link Limits#maxBytes} bytes, by {@code Content-Length} before anything is read and
 *       by count while reading a chunked body: 413, never buffered beyond the limit;</li>
 *   <li>at least {@link Limits#minBytesPerSecond} on average once the body has taken longer than
 *       {@link #GRACE}, checked as bytes arrive, and complete within {@link Limits#deadline}, which
 *       also catches a client that sends nothing: 408.</li>
 * </ul>
 * Both answers are sent at once with {@code Connection: close}, and the rest of the body is never
 * read: the connection is dropped at the client's next bytes (the listener throws, so the container
 * gives the body up), when the client closes, or at the deadline; on Undertow as soon as the answer
 * is out ({@link UnreadBodies}). A problem answered before the
 * body was read (a refused credential, a rate limit, shutdown) closes the connection too, see
 * {@link #unread}: a refused request costs no more than its headers.
 *
 * <p>Threading: {@link #read} runs on the request's container thread and returns at once; the
 * listener's callbacks and the async timeout run on container threads, one at a time for the
 * listener, possibly racing the timeout; the first of them to finish the request answers it, the
 * others do nothing. The answer (the continuation, or a problem) is written with blocking writes
 * from a task of {@link AsyncContext#start}: Undertow calls a read listener on its I/O thread,
 * where blocking is forbidden.
 */
public final class BodyReader {

    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);

    /** How long a body may take before its rate is judged: a connection's first round trips are slow. */
    static final Duration GRACE = Duration.ofSeconds(1);
    private static final String CONSUMED = BodyReader.class.getName() + ".consumed";
    private static final int CHUNK = 8192;

    /**
     * How a body must arrive.
     *
     * @param maxBytes          the largest body accepted
     * @param minBytesPerSecond the slowest average rate accepted after {@link #GRACE}; 0 for none
     * @param deadline          the longest a whole body may take
     */
    public record Limits(int maxBytes, long minBytesPerSecond, Duration deadline) {
    }

    /** What the handler does with the complete body: answers the request, or throws a {@link ProblemException}. */
    @FunctionalInterface
    public interface Continuation {
        void accept(byte[] body) throws IOException;
    }

    private final Limits limits;
    private final ProblemWriter problems;
    private final InFlight inFlight;

    /**
     * A reader of publish bodies: their continuations are counted among the publishes in flight,
     * so that shutdown waits for them, and one that completes once shutdown has begun gets 503.
     */
    public BodyReader(Services services) {
        this.limits = services.clientLimits().bodies();
        this.problems = new ProblemWriter(services.json());
        this.inFlight = services.operations().publishes();
    }

    /**
     * Starts reading the body and returns; {@code then} runs once it has arrived. Call it after
     * every check that needs no body: the request goes async here, and problems thrown by
     * {@code then} are answered by the reader.
     *
     * @throws ProblemException 413 when the declared {@code Content-Length} is over the limit
     */
    public void read(HttpServletRequest request, HttpServletResponse response, Continuation then) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limits.maxBytes()) {
            throw ProblemException.payloadTooLarge(limits.maxBytes());
        }
        ServletInputStream in = request.getInputStream();
        request.setAttribute(AccessLogFilter.ANSWERED_LATER, Boolean.TRUE);
        AsyncContext async = request.startAsync();
        async.setTimeout(limits.deadline().toMillis());
        Reading reading = new Reading(request, response, async, in, then,
                new byte[declared >= 0 ? (int) declared : Math.min(limits.maxBytes(), CHUNK)]);
        async.addListener(reading);
        // Last: the container may call the listener at once, on this thread or another, so
        // everything it uses is set up before.
        in.setReadListener(reading);
    }

    /**
     * Whether the request has a body that nobody read: a problem answered now closes the
     * connection rather than leave the body to be drained or taken for the next request.
     */
    static boolean unread(HttpServletRequest request) {
        return request.getAttribute(CONSUMED) == null
                && (request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null);
    }

    /** 408: the body came too slowly or not in time. */
    private ProblemException timedOut() {
        return new ProblemException(408, "body-timeout", "Request Timeout",
                "the request body must arrive within " + limits.deadline().toSeconds() + " s and at "
                        + limits.minBytesPerSecond() + " bytes per second or faster", Map.of("Connection", "close"));
    }

    /** One body being read; also the async listener that catches its deadline. */
    private final class Reading implements ReadListener, AsyncListener {

        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        private final ServletInputStream in;
        private final Continuation then;
        private final long started = System.nanoTime();
        /** Set once the body went to the continuation or a problem was answered. */
        private final AtomicBoolean finished = new AtomicBoolean();
        /** Guarded by this: once true, the response is the container's again and never touched. */
        private boolean completed;
        /** A problem was answered while the body was still arriving. */
        private volatile boolean refused;
        /** Guarded by this: the problem to answer, once the request is refused or late. */
        private ProblemException problem;
        /** Guarded by this: the problem has been sent. */
        private boolean sent;
        /** Guarded by this: the body ended or broke after it was refused; complete once the problem is out. */
        private boolean ended;
        private byte[] buffer;
        private int length;

        Reading(HttpServletRequest request, HttpServletResponse response, AsyncContext async, ServletInputStream in,
                Continuation then, byte[] buffer) {
            this.request = request;
            this.response = response;
            this.async = async;
            this.in = in;
            this.then = then;
            this.buffer = buffer;
        }

        @Override
        public void onDataAvailable() throws IOException {
            if (refused) {
                // Answered already: the connection is dropped rather than the rest read. Throwing
                // makes the container give up the body (onError follows and completes); completing
                // with the body unread would make Undertow read the rest with a blocking read on a
                // worker thread, for as long as the client trickles.
                throw new IOException("the rest of a refused body is not read");
            }
            while (!finished.get() && in.isReady()) {
                int n;
                if (length == buffer.length) {
                    // Full: usually the declared length was exact and only the end is left to read.
                    n = in.read();
                    if (n >= 0) {
                        if (length >= limits.maxBytes()) {
                            refuse(ProblemException.payloadTooLarge(limits.maxBytes()));
                            return;
                        }
                        buffer = Arrays.copyOf(buffer, (int) Math.min(limits.maxBytes(), Math.max(CHUNK, 2L * length)));
                        buffer[length++] = (byte) n;
                    }
                } else {
                    n = in.read(buffer, length, buffer.length - length);
                    length += Math.max(0, n);
                }
                if (n < 0) {
                    // The end. Undertow calls onAllDataRead from the isReady() that follows it;
                    // Jetty and Tomcat call it on their own (and may answer true again here).
                    in.isReady();
                    return;
                }
            }
            if (!finished.get() && tooSlow(System.nanoTime() - started)) {
                refuse(timedOut());
            }
        }

        /**
         * Answers with {@code problem} from a task of its own (Undertow calls read listeners on
         * its I/O thread, where writes must not block) and waits for the client's next bytes, its
         * close or the deadline to complete.
         */
        private void refuse(ProblemException problem) throws IOException {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            refused = true;
            synchronized (this) {
                this.problem = problem;
            }
            async.start(this::send);
            // Until the container says no more is there, so that it calls again when more comes.
            byte[] sink = new byte[CHUNK];
            while (in.isReady()) {
                if (in.read(sink) < 0) {
                    return;
                }
            }
        }

        private boolean tooSlow(long elapsedNanos) {
            return limits.minBytesPerSecond() > 0 && elapsedNanos > GRACE.toNanos()
                    && length < limits.minBytesPerSecond() * elapsedNanos / TimeUnit.SECONDS.toNanos(1);
        }

        @Override
        public void onAllDataRead() {
            if (finished.compareAndSet(false, true)) {
                request.setAttribute(CONSUMED, Boolean.TRUE);
                byte[] body = length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
                async.start(() -> respond(body));
            } else {
                endRefused(); // refused, and the client sent the rest all the same
            }
        }

        /**
         * Runs the continuation and completes the request, whatever it throws. Holds this while it
         * runs, so a deadline that strikes meanwhile waits for it rather than complete a response
         * still being written.
         */
        private synchronized void respond(byte[] body) {
            try {
                if (!inFlight.enter()) {
                    throw ProblemException.unavailable("the hub is shutting down", 1);
                }
                try {
                    then.accept(body);
                } finally {
                    inFlight.exit();
                }
            } catch (ProblemException problem) {
                problems.write(request, response, problem);
            } catch (IOException e) {
                log.debug("could not answer {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            } catch (StackOverflowError | RuntimeException e) {
                log.error("unhandled exception in {} {}", request.getMethod(), request.getRequestURI(), e);
                problems.write(request, response, ProblemException.internal());
            } catch (VirtualMachineError e) {
                log.error("the JVM failed in {} {}", request.getMethod(), request.getRequestURI(), e);
                problems.write(request, response, ProblemException.internal());
                complete();
                throw e;
            } catch (Error e) {
                log.error("unhandled error in {} {}", request.getMethod(), request.getRequestURI(), e);
                problems.write(request, response, ProblemException.internal());
            }
            complete();
        }

        @Override
        public void onError(Throwable failure) {
            // The client went away or broke the body, or the rest of a refused body was given up.
            log.debug("reading the body of {} {} ended: {}", request.getMethod(), request.getRequestURI(),
                    failure.toString());
            if (finished.compareAndSet(false, true)) {
                refused = true;
                synchronized (this) {
                    problem = timedOut();
                    ended = true;
                }
                async.start(this::send);
            } else if (refused) {
                endRefused();
            }
        }

        @Override
        public synchronized void onTimeout(AsyncEvent event) {
            // Completed here, in the callback: Tomcat answers a timeout left open with a 500 of its own.
            if (finished.compareAndSet(false, true)) {
                refused = true;
                problem = timedOut();
            }
            if (refused) {
                send();
            }
            complete();
        }

        /** The body of a refused request ended or broke: completes once the problem is out. */
        private synchronized void endRefused() {
            ended = true;
            if (sent) {
                complete();
            }
        }

        /**
         * Writes the problem and sends it at once, before the request completes; never after: a
         * completed response may already serve another request. Completes if the body already
         * ended or broke meanwhile.
         */
        private synchronized void send() {
            if (completed || sent) {
                return;
            }
            sent = true;
            problems.write(request, response, problem);
            try {
                response.flushBuffer();
            } catch (IOException | RuntimeException e) {
                log.debug("could not send {} to a publisher: {}", problem.status(), e.toString());
            }
            if (ended) {
                complete();
            }
        }

        private synchronized void complete() {
            if (!completed) {
                completed = true;
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
            onTimeout(event);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
