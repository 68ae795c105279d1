package io.ssehub.http.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Logs one line per request at INFO on the logger {@value #LOGGER} once the handler has answered:
 * <pre>GET /ssehub/publish 200 3 ms</pre>
 * (the request id is in the MDC). A stream is logged when it opens, marked {@code stream}; its end
 * is logged by the stream itself.
 *
 * <p>Only the method, the path, the status and the duration are logged: never the query string
 * (it may carry an {@code access_token}), path parameters after {@code ;}, headers, cookies or
 * bodies. Runs after {@link RequestIdFilter} and before {@link RecoveryFilter}, so a request that
 * failed is logged with the 500 the recovery sent.
 *
 * <p>With {@code ssehub.log.access=false} the application sets the context attribute
 * {@value #ENABLED_ATTRIBUTE} to {@code false} before filters start, and the filter only passes
 * requests on.
 */
public final class AccessLogFilter extends HttpFilter {

    static final String LOGGER = "io.ssehub.access";
    static final int MAX_PATH = 200;
    /** A servlet context attribute; {@link Boolean#FALSE} turns the access log off. */
    public static final String ENABLED_ATTRIBUTE = "io.ssehub.accessLog";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private boolean enabled = true;

    @Override
    public void init() {
        enabled = !Boolean.FALSE.equals(getServletContext().getAttribute(ENABLED_ATTRIBUTE));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!enabled) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (log.isInfoEnabled()) {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                log.info("{} {} {} {} ms{}", request.getMethod(), loggablePath(request.getRequestURI()),
                        response.getStatus(), millis, request.isAsyncStarted() ? " stream" : "");
            }
        }
    }

    /** The path without path parameters, cut to {@value #MAX_PATH} characters; the query is never part of it. */
    static String loggablePath(String uri) {
        if (uri == null) {
            return "-";
        }
        int semicolon = uri.indexOf(';');
        String path = semicolon < 0 ? uri : uri.substring(0, semicolon);
        return path.length() <= MAX_PATH ? path : path.substring(0, MAX_PATH) + "...";
    }
}
