package io.ssehub.http.filter;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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
    /**
     * A request attribute set by a handler whose answer comes after the dispatch returns (an
     * asynchronous read of the body): its line is logged when the request completes.
     */
    public static final String ANSWERED_LATER = "io.ssehub.answeredLater";
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
            if (log.isInfoEnabled() && !logWhenAnswered(request, response, start)) {
                log(request, response, start, request.isAsyncStarted() ? " stream" : "");
            }
        }
    }

    /**
     * For a request answered after its dispatch returned (its body is read without a thread,
     * {@link #ANSWERED_LATER}), logs once it completes, with the status it got; returns whether it will.
     */
    private static boolean logWhenAnswered(HttpServletRequest request, HttpServletResponse response, long start) {
        if (!request.isAsyncStarted() || request.getAttribute(ANSWERED_LATER) == null) {
            return false;
        }
        try {
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    log(request, response, start, "");
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                }

                @Override
                public void onError(AsyncEvent event) {
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                }
            });
            return true;
        } catch (IllegalStateException alreadyComplete) {
            return false;
        }
    }

    private static void log(HttpServletRequest request, HttpServletResponse response, long start, String suffix) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        log.info("{} {} {} {} ms{}", request.getMethod(), loggablePath(request.getRequestURI()),
                response.getStatus(), millis, suffix);
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
