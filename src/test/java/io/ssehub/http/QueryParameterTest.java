package io.ssehub.http;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class QueryParameterTest {

    @Test
    void aRequestWithoutAQueryIsNotAskedSoItsContainerBuildsNoParameterMapsForTheStreamToKeep() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        assertNull(QueryParameter.of(request, "lastEventID"));
        verify(request, never()).getParameter(anyString());
    }

    @Test
    void aRequestWithAQueryIsAskedForTheDecodedValue() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getQueryString()).thenReturn("lastEventID=t%3A5");
        when(request.getParameter("lastEventID")).thenReturn("t:5");
        assertEquals("t:5", QueryParameter.of(request, "lastEventID"));
    }
}
