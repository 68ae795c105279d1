package io.ssehub.bench.load;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flat-out publishers' counting, checked against what two mock hubs saw. The hubs stop
 * answering a while before the run ends, so every answer they sent has arrived by then and each
 * connection has exactly one request unanswered at the deadline: the counts can be compared exactly.
 */
class FlatOutPublishersTest {

    private static final long RUN_MILLIS = 1200;
    private static final long ANSWER_MILLIS = 700;
    private static final long RETURN_SLACK_MILLIS = 1000;
    private static final int CONNECTIONS = 3;
    private static final PublishFormat FORMAT = MockTarget.FORMAT;

    /** Mostly 200 with a length, every 4th chunked; some 503, some Connection: close, some connections dropped. */
    private static final MockHub.Answers MIXED = seq -> switch ((int) (seq % 20)) {
        case 7 -> MockHub.Answer.ERROR;
        case 13 -> MockHub.Answer.CLOSE;
        case 17 -> MockHub.Answer.DROP;
        default -> seq % 4 == 1 ? MockHub.Answer.CHUNKED : MockHub.Answer.OK;
    };

    @Test
    void countsEveryAnswerExactlyOverReopenedConnections() throws Exception {
        try (MockHub a = new MockHub((subscriber, seq) -> 1, MIXED);
             MockHub b = new MockHub((subscriber, seq) -> 1, MIXED)) {
            PublishDriver driver = new PublishDriver(List.of(a.address(), b.address()), FORMAT);
            long start = System.nanoTime();
            a.holdPublishesFrom(start + ANSWER_MILLIS * 1_000_000L);
            b.holdPublishesFrom(start + ANSWER_MILLIS * 1_000_000L);

            PublishReport report = driver.flatOut("t", CONNECTIONS, RUN_MILLIS);
            long tookMillis = (System.nanoTime() - start) / 1_000_000L;
            MockHub.PublishLog logA = a.publishLog();
            MockHub.PublishLog logB = b.publishLog();

            assertTrue(tookMillis >= RUN_MILLIS && tookMillis < RUN_MILLIS + RETURN_SLACK_MILLIS,
                    "returned after " + tookMillis + " ms");
            // Connections 0 and 2 go to a, connection 1 to b; each has its last request held.
            assertEquals(2, logA.held());
            assertEquals(1, logB.held());
            assertEquals(Set.of(host(a)), logA.hosts());
            assertEquals(Set.of(host(b)), logB.hosts());

            // Every sequence number handed out reached one hub once: 0 to sent-1, none twice.
            BitSet received = or(logA.received(), logB.received());
            assertFalse(logA.received().intersects(logB.received()));
            assertEquals(0, logA.repeats() + logB.repeats());
            assertEquals(report.sent(), received.cardinality());
            assertEquals(report.sent(), received.nextClearBit(0));

            // Acked are exactly the 2xx answers sent; errors exactly the 503s and dropped connections.
            BitSet answeredOk = or(logA.answeredOk(), logB.answeredOk());
            assertEquals(answeredOk, report.acked());
            assertEquals(answeredOk.cardinality(), report.ok());
            assertEquals(logA.errorAnswers() + logB.errorAnswers() + logA.dropped() + logB.dropped(),
                    report.errors());
            assertEquals(CONNECTIONS, report.sent() - report.ok() - report.errors(), "one request in flight each");
            assertEquals(report.ok(), report.latency().count());

            assertTrue(logA.errorAnswers() + logB.errorAnswers() > 0, "some 503s");
            assertTrue(logA.chunked() + logB.chunked() > 0, "some chunked answers");
            // Each close or drop ends a connection: more of them than connections means they were reopened.
            assertTrue(logA.closeAnswers() + logB.closeAnswers() > CONNECTIONS, "closed connections reopened");
            assertTrue(logA.dropped() + logB.dropped() > CONNECTIONS, "dropped connections reopened");
        }
    }

    @Test
    void givesUpAConnectionThatKeepsFailing() throws Exception {
        InetSocketAddress nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
        long start = System.nanoTime();
        PublishReport report = new PublishDriver(nobody, FORMAT).flatOut("t", 2, 60_000);
        long tookMillis = (System.nanoTime() - start) / 1_000_000L;

        assertTrue(tookMillis < 10_000, "gave up after " + tookMillis + " ms");
        assertEquals(2L * FlatOutPublishers.MAX_FAILURES_IN_A_ROW, report.errors());
        assertEquals(report.errors(), report.sent());
        assertEquals(0, report.ok());
        assertTrue(report.acked().isEmpty());
    }

    @Test
    void keepsWhatArrivesPastAnAnswer() throws Exception {
        try (StraddlingServer server = new StraddlingServer()) {
            PublishReport report = new PublishDriver(server.address(), FORMAT).flatOut("t", 2, 500);

            assertEquals(0, report.errors(), "every answer parsed");
            assertTrue(report.ok() > 10, "answers: " + report.ok());
            assertTrue(report.sent() - report.ok() <= 2, "at most one request in flight each");
            assertTrue(server.requests.get() >= report.ok());
            assertEquals(report.ok(), report.acked().cardinality());
            assertEquals(report.ok(), report.latency().count());
        }
    }

    /**
     * Answers every request with 200 and a chunked body, but sends each answer in two parts: the
     * rest of the previous answer and the start of this one go out together, cut at a different
     * place each time, so the client reads bytes of the next answer with every answer.
     */
    private static final class StraddlingServer implements AutoCloseable {
        private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);

        final AtomicLong requests = new AtomicLong();
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

        StraddlingServer() throws IOException {
            daemon(() -> {
                try {
                    while (true) {
                        Socket connection = socket.accept();
                        daemon(() -> serve(connection));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        private void serve(Socket connection) {
            try (connection; InputStream in = new BufferedInputStream(connection.getInputStream())) {
                connection.setTcpNoDelay(true);
                OutputStream out = connection.getOutputStream();
                int sentOfThis = 0;
                for (int k = 0; skipRequest(in); k++) {
                    requests.incrementAndGet();
                    int cut = 1 + (k * 7) % (ANSWER.length - 1);
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    bytes.write(ANSWER, sentOfThis, ANSWER.length - sentOfThis);
                    bytes.write(ANSWER, 0, cut);
                    out.write(bytes.toByteArray());
                    out.flush();
                    sentOfThis = cut;
                }
            } catch (IOException gone) {
                // the client closed
            }
        }

        /** Reads one request (head and Content-Length body); false at the end of the stream. */
        private static boolean skipRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                head.append((char) b);
            }
            Matcher length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            long body = length.find() ? Long.parseLong(length.group(1)) : 0;
            in.skipNBytes(body);
            return true;
        }

        private static void daemon(Runnable task) {
            Thread thread = new Thread(task, "straddling-server");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String host(MockHub hub) {
        return hub.address().getHostString() + ":" + hub.address().getPort();
    }

    private static BitSet or(BitSet a, BitSet b) {
        BitSet union = (BitSet) a.clone();
        union.or(b);
        return union;
    }
}
