package io.ssehub.http.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;
import org.slf4j.MDC;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class RequestIdFilterTest {

    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final FilterChain chain = mock(FilterChain.class);
    private final RequestIdFilter filter = new RequestIdFilter();

    @Test
    void keepsAValidIncomingIdInTheResponseAndTheMdcButNotAsARequestAttribute() throws Exception {
        when(request.getHeader("X-Request-ID")).thenReturn("abc.DEF_123-x");
        AtomicReference<String> inMdc = new AtomicReference<>();
        org.mockito.Mockito.doAnswer(inv -> {
            inMdc.set(MDC.get(RequestIdFilter.MDC_KEY));
            return null;
        }).when(chain).doFilter(request, response);

        filter.doFilter(request, response, chain);

        verify(response).setHeader("X-Request-ID", "abc.DEF_123-x");
        // An attribute would cost every stream on Undertow a map of its own for the stream's life.
        verify(request, never()).setAttribute(any(), any());
        assertEquals("abc.DEF_123-x", inMdc.get());
        assertNull(MDC.get(RequestIdFilter.MDC_KEY), "cleared afterwards");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "semi;colon", "new\nline", "ünï", "<script>"})
    void replacesAnInvalidId(String incoming) throws Exception {
        when(request.getHeader("X-Request-ID")).thenReturn(incoming);
        filter.doFilter(request, response, chain);
        ArgumentCaptor<String> id = ArgumentCaptor.forClass(String.class);
        verify(response).setHeader(org.mockito.ArgumentMatchers.eq("X-Request-ID"), id.capture());
        assertTrue(id.getValue().matches("[0-9a-f-]{36}"), id.getValue());
    }

    @Test
    void lengthLimitIs128() {
        assertTrue(RequestIdFilter.isValid("a".repeat(128)));
        assertFalse(RequestIdFilter.isValid("a".repeat(129)));
        assertFalse(RequestIdFilter.isValid(null));
    }

    @Test
    void clearsTheMdcEvenWhenTheChainThrows() throws Exception {
        doThrow(new IllegalStateException("boom")).when(chain).doFilter(any(), any());
        assertThrows(IllegalStateException.class, () -> filter.doFilter(request, response, chain));
        assertNull(MDC.get(RequestIdFilter.MDC_KEY));
    }
}
