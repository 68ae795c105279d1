package io.ssehub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.hub.Broker;
import io.ssehub.hub.OverflowPolicy;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscriber;
import io.ssehub.hub.Subscription;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.StreamObserver;
import io.ssehub.sse.StreamRegistry;
import io.ssehub.sse.WriterPool;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * Opening a stream while the node stops: whatever reaches the stream while the backplane is still
 * subscribing it, the response gets one answer, is completed once, and every count is given back.
 */
class StreamOpenerTest {

    private final WriterPool writers = new WriterPool(1, task -> {
        Thread thread = new Thread(task, "test-writer");
        thread.setDaemon(true);
        return thread;
    });
    private final StreamRegistry streams = new StreamRegistry(10, 0, () -> new byte[0], Runnable::run);
    private final Broker broker = mock(Broker.class);
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final AsyncContext async = mock(AsyncContext.class);
    private final ServletOutputStream out = mock(ServletOutputStream.class);

    @AfterEach
    void stop() throws InterruptedException {
        writers.shutdown();
        assertTrue(writers.awaitTermination(5, TimeUnit.SECONDS));
    }

    private StreamOpener opener() throws Exception {
        when(request.getMethod()).thenReturn("GET");
        when(request.getProtocol()).thenReturn("HTTP/1.1");
        when(request.getRemoteAddr()).thenReturn("127.0.0.1");
        when(request.startAsync()).thenReturn(async);
        when(request.getInputStream()).thenReturn(mock(ServletInputStream.class));
        when(response.getOutputStream()).thenReturn(out);
        Services services = new Services(null, broker, streams, writers, new ObjectMapper(),
                new Services.Limits(65536, 256, 16, OverflowPolicy.DROP, 8, 100, -1),
                new Operations(null, null, StreamObserver.NONE, null, false), null, List.of(), List.of(),
                new ClientLimits(ClientAddress.DIRECT, null, null, PublishRate.OFF));
        return new StreamOpener(services);
    }

    private static StreamOpener.Request stream() {
        return new StreamOpener.Request(sink -> new Subscriber("t", 16, sink), StartPosition.LIVE,
                after -> "event: ready\n\n".getBytes(StandardCharsets.UTF_8), false, 0, () -> false, null);
    }

    /**
     * A shutdown that closes every stream while one is still being subscribed (on a backplane, for
     * up to seconds) leaves that one to its opener, which answers 503 into a response that is still
     * its own: the stream's head is never written into a completed, possibly recycled, response.
     */
    @Test
    void aShutdownWhileTheBackplaneSubscribesGetsA503AndNoHeadIntoACompletedResponse() throws Exception {
        StreamOpener opener = opener();
        when(broker.attach(any(), any())).thenAnswer(call -> {
            streams.closeAll(CloseReason.SHUTDOWN);
            return CompletableFuture.completedFuture(new Subscription(null, List.of(), "e-0"));
        });

        assertFalse(opener.open(request, response, stream()));

        verify(response, never()).setStatus(HttpServletResponse.SC_OK);
        verify(response, never()).setContentType("text/event-stream;charset=UTF-8");
        InOrder answer = inOrder(response, async);
        answer.verify(response).setStatus(503);
        answer.verify(async, times(1)).complete();
        verify(out, never()).setWriteListener(any());
        verify(broker, times(1)).detach(any());
        assertEquals(0, streams.admitted(), "the admission is given back");
        assertEquals(0, streams.size());
    }

    /** A resync (every stream dismissed) during the subscribe does not reach a stream that is not open yet; it opens. */
    @Test
    void aStreamThatAttachesWhileEveryOpenStreamIsDismissedOpensNormally() throws Exception {
        StreamOpener opener = opener();
        when(broker.attach(any(), any())).thenAnswer(call -> {
            streams.dismiss(s -> true, CloseReason.RESYNC);
            return CompletableFuture.completedFuture(new Subscription(null, List.of(), "e-0"));
        });

        assertTrue(opener.open(request, response, stream()));

        verify(response).setStatus(HttpServletResponse.SC_OK);
        verify(out).setWriteListener(any());
        verify(async, never()).complete();
        assertEquals(1, streams.admitted());
        assertEquals(1, streams.size());
        streams.closeAll(CloseReason.SHUTDOWN);
        assertEquals(0, streams.admitted());
        verify(broker, times(1)).detach(any());
    }

    /** The backplane cannot subscribe the stream: 503, the counts given back once, the response completed once. */
    @Test
    void aBackplaneThatCannotSubscribeGetsA503AndReleasesOnce() throws Exception {
        StreamOpener opener = opener();
        when(broker.attach(any(), any())).thenReturn(
                CompletableFuture.failedFuture(new IllegalStateException("the backplane is down")));

        assertFalse(opener.open(request, response, stream()));

        verify(response).setStatus(503);
        verify(async, times(1)).complete();
        verify(broker, times(1)).detach(any());
        verify(response, never()).setStatus(HttpServletResponse.SC_OK);
        assertEquals(0, streams.admitted());
    }

    /**
     * A bodyless GET is not read: its container reads nothing more of the connection while the
     * stream is open, so a read listener would only hear at once that its input ended. A request
     * that declares a body is read (and what it sends discarded within a limit).
     */
    @Test
    void onlyAStreamRequestThatDeclaresABodyIsRead() throws Exception {
        StreamOpener opener = opener();
        ServletInputStream in = mock(ServletInputStream.class);
        when(request.getInputStream()).thenReturn(in);
        when(broker.attach(any(), any())).thenAnswer(call ->
                CompletableFuture.completedFuture(new Subscription(null, List.of(), "e-0")));

        assertTrue(opener.open(request, response, stream()));
        verify(in, never()).setReadListener(any());

        when(request.getHeader("Transfer-Encoding")).thenReturn("chunked");
        assertTrue(opener.open(request, response, stream()));
        verify(in, times(1)).setReadListener(any());

        when(request.getHeader("Transfer-Encoding")).thenReturn(null);
        when(request.getContentLengthLong()).thenReturn(10L);
        assertTrue(opener.open(request, response, stream()));
        verify(in, times(2)).setReadListener(any());

        when(request.getContentLengthLong()).thenReturn(-1L);
        when(request.getProtocol()).thenReturn("HTTP/2.0"); // a body needs no header to be declared there
        assertTrue(opener.open(request, response, stream()));
        verify(in, times(3)).setReadListener(any());
        streams.closeAll(CloseReason.SHUTDOWN);
    }
}
