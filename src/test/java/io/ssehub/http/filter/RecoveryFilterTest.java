package io.ssehub.http.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.ssehub.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class RecoveryFilterTest {

    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final FilterChain chain = mock(FilterChain.class);
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    RecoveryFilterTest() throws Exception {
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        });
        when(response.getHeader(RequestIdFilter.HEADER)).thenReturn("rid-1");
    }

    @Test
    void anExceptionBecomesA500ProblemWithTheRequestId() throws Exception {
        doThrow(new IllegalStateException("boom")).when(chain).doFilter(any(), any());
        new RecoveryFilter().doFilter(request, response, chain);
        verify(response).setStatus(500);
        verify(response).setContentType("application/problem+json");
        assertEquals("{\"type\":\"urn:ssehub:problem:internal\",\"title\":\"Internal Server Error\",\"status\":500,"
                + "\"detail\":\"the server failed to handle this request\",\"requestId\":\"rid-1\"}",
                body.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anExceptionIsLoggedAsAnErrorWithItsStackTrace() throws Exception {
        doThrow(new IllegalStateException("boom")).when(chain).doFilter(any(), any());
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/publish");
        try (LogCapture log = new LogCapture()) {
            new RecoveryFilter().doFilter(request, response, chain);
            List<String> lines = log.lines(RecoveryFilter.class.getName());
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("ERROR "), lines.get(0));
            assertTrue(lines.get(0).contains("unhandled exception in POST /publish"), lines.get(0));
            assertTrue(lines.get(0).contains("java.lang.IllegalStateException: boom"), lines.get(0));
        }
    }

    /** The client reset the connection while its answer was written: its business, not a server error. */
    @Test
    void aFailedConnectionIsNoServerError() throws Exception {
        when(response.isCommitted()).thenReturn(true);
        doThrow(new IOException("Connection reset by peer")).when(chain).doFilter(any(), any());
        try (LogCapture log = new LogCapture()) {
            new RecoveryFilter().doFilter(request, response, chain);
            assertEquals(List.of(), log.lines().stream().filter(line -> !line.startsWith("DEBUG ")).toList());
        }
        verify(response, never()).setStatus(500);
    }

    @Test
    void aCommittedResponseIsLeftAlone() throws Exception {
        when(response.isCommitted()).thenReturn(true);
        doThrow(new IllegalStateException("boom")).when(chain).doFilter(any(), any());
        new RecoveryFilter().doFilter(request, response, chain);
        verify(response, never()).setStatus(500);
    }

    @Test
    void aNormalRequestPassesThrough() throws Exception {
        new RecoveryFilter().doFilter(request, response, chain);
        verify(chain).doFilter(request, response);
        verify(response, never()).setStatus(500);
    }

    @Test
    void aStackOverflowFromAPathologicalInputBecomesA500() throws Exception {
        doThrow(new StackOverflowError()).when(chain).doFilter(any(), any());
        new RecoveryFilter().doFilter(request, response, chain);
        verify(response).setStatus(500);
        verify(response).setContentType("application/problem+json");
    }

    @Test
    void anErrorThrownByAHandlerBecomesA500() throws Exception {
        doThrow(new AssertionError("a broken invariant")).when(chain).doFilter(any(), any());
        new RecoveryFilter().doFilter(request, response, chain);
        verify(response).setStatus(500);
    }

    @Test
    void anOutOfMemoryErrorIsAnsweredAndStillReachesTheJvm() throws Exception {
        doThrow(new OutOfMemoryError("heap")).when(chain).doFilter(any(), any());
        assertThrows(OutOfMemoryError.class, () -> new RecoveryFilter().doFilter(request, response, chain));
        verify(response).setStatus(500);
    }
}
