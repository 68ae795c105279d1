package io.ssehub.web.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        when(request.getAttribute(RequestIdFilter.ATTRIBUTE)).thenReturn("rid-1");
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
}
