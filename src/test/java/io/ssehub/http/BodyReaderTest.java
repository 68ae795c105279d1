package io.ssehub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/**
 * The reader's contract without a container: a mocked request whose body is all there at once, a
 * listener driven by hand, async tasks run in place.
 */
class BodyReaderTest {

    static final int LIMIT = 16;

    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final AsyncContext async = mock(AsyncContext.class);
    private final AtomicReference<ReadListener> listener = new AtomicReference<>();
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
    private final Operations operations = Operations.basic();
    private final BodyReader reader = new BodyReader(new Services(null, null, null, null, new ObjectMapper(), null,
            operations, null, List.of(), List.of(), new ClientLimits(ClientAddress.DIRECT,
            new BodyReader.Limits(LIMIT, 1024, Duration.ofSeconds(30)), null, PublishRate.OFF)));

    private void body(String text, long declared) throws Exception {
        ByteArrayInputStream bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        ServletInputStream in = new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener readListener) {
                listener.set(readListener);
            }

            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, len);
            }
        };
        when(request.getContentLengthLong()).thenReturn(declared);
        when(request.getInputStream()).thenReturn(in);
        when(request.startAsync()).thenReturn(async);
        doAnswer(call -> {
            call.<Runnable>getArgument(0).run();
            return null;
        }).when(async).start(any());
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener writeListener) {
            }

            @Override
            public void write(int b) {
                answer.write(b);
            }
        });
    }

    @Test
    void anErrorThrownByTheHandlerIsAnswered500AndTheRequestCompletedWithNothingLeftInFlight() throws Exception {
        body("{}", 2);
        reader.read(request, response, bytes -> {
            throw new AssertionError("a handler's bug");
        });
        listener.get().onDataAvailable();
        listener.get().onAllDataRead();
        verify(response).setStatus(500);
        assertTrue(answer.toString(StandardCharsets.UTF_8).contains("urn:ssehub:problem:internal"));
        verify(async, times(1)).complete();
        assertTrue(operations.publishes().closeAndAwait(0), "no publish is counted as running any more");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413WithoutReadingItAll() throws Exception {
        body("x".repeat(LIMIT * 100), -1);
        reader.read(request, response, bytes -> {
            throw new AssertionError("never handed on");
        });
        listener.get().onDataAvailable();
        verify(response).setStatus(413);
        verify(response).setHeader("Connection", "close");
        verify(async, never()).complete(); // until the client goes, so the rest is never read
    }

    @Test
    void aWholeBodyIsHandedOnOnce() throws Exception {
        body("0123456789", 10);
        AtomicReference<String> got = new AtomicReference<>();
        reader.read(request, response, bytes -> got.set(new String(bytes, StandardCharsets.UTF_8)));
        listener.get().onDataAvailable();
        listener.get().onAllDataRead();
        listener.get().onAllDataRead();
        assertEquals("0123456789", got.get());
        verify(async, times(1)).complete();
        verify(response, never()).setStatus(anyInt());
    }
}
