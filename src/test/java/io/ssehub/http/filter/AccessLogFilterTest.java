package io.ssehub.http.filter;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class AccessLogFilterTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLogFilter.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void logsMethodPathStatusAndDurationButNeitherQueryNorHeaders() throws Exception {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("GET");
        when(request.getRequestURI()).thenReturn("/ssehub/events/news;jsessionid=SECRET1");
        when(request.getQueryString()).thenReturn("access_token=SECRET2");
        when(request.getHeader("Authorization")).thenReturn("Bearer SECRET3");
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getStatus()).thenReturn(401);

        new AccessLogFilter().doFilter(request, response, mock(FilterChain.class));

        assertEquals(1, lines.list.size());
        String line = lines.list.get(0).getFormattedMessage();
        assertTrue(line.matches("GET /ssehub/events/news 401 \\d+ ms"), line);
        assertFalse(line.contains("SECRET"), line);
    }

    @Test
    void aFailingRequestIsStillLogged() {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/publish");
        HttpServletResponse response = mock(HttpServletResponse.class);
        when(response.getStatus()).thenReturn(200);
        FilterChain failing = (req, res) -> {
            throw new IllegalStateException("boom");
        };
        try {
            new AccessLogFilter().doFilter(request, response, failing);
        } catch (Exception expected) {
            // recovery normally sits inside; here the exception passes through after the line
        }
        assertEquals(1, lines.list.size());
    }

    @Test
    void turnedOffByTheContextAttributeItLogsNothingButStillPassesTheRequestOn() throws Exception {
        ServletContext context = mock(ServletContext.class);
        when(context.getAttribute(AccessLogFilter.ENABLED_ATTRIBUTE)).thenReturn(false);
        FilterConfig config = mock(FilterConfig.class);
        when(config.getServletContext()).thenReturn(context);
        AccessLogFilter filter = new AccessLogFilter();
        filter.init(config);
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/publish");
        HttpServletResponse response = mock(HttpServletResponse.class);
        FilterChain chain = mock(FilterChain.class);

        filter.doFilter(request, response, chain);

        verify(chain).doFilter(request, response);
        assertEquals(0, lines.list.size());
    }

    @Test
    void longPathsAreCut() {
        String path = AccessLogFilter.loggablePath("/" + "a".repeat(500));
        assertEquals(AccessLogFilter.MAX_PATH + 3, path.length());
    }
}
