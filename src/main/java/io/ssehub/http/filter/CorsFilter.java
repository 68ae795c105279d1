package io.ssehub.http.filter;

import io.ssehub.auth.CorsPolicy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Lets pages of the configured origins ({@link CorsPolicy}, read from the context attribute
 * {@link #ATTRIBUTE}) call ssehub from a browser: answers their preflight for {@code POST /publish}
 * (and any other route) itself with 204, and marks their other answers readable. A listed origin
 * may send credentials (a cookie stream, an {@code Authorization} header); {@code *} may not.
 * Requests from other origins go on unmarked, so the browser keeps their answers from the page.
 * Every answer that depends on the origin says so with {@code Vary: Origin}.
 */
public final class CorsFilter extends HttpFilter {

    public static final String ATTRIBUTE = CorsPolicy.class.getName();
    static final String ALLOW_HEADERS = "Authorization, Content-Type, X-API-Key, Last-Event-ID, X-Request-ID";
    static final String EXPOSE_HEADERS = "X-Request-ID, Last-Event-ID, Retry-After, WWW-Authenticate";
    static final String MAX_AGE_SECONDS = "600";

    private CorsPolicy policy = CorsPolicy.SAME_ORIGIN;

    @Override
    public void init() {
        Object attribute = getServletContext().getAttribute(ATTRIBUTE);
        if (attribute instanceof CorsPolicy configured) {
            policy = configured;
        }
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!policy.isEnabled()) {
            chain.doFilter(request, response);
            return;
        }
        response.addHeader("Vary", "Origin");
        String origin = request.getHeader("Origin");
        if (origin == null || !policy.allows(origin)) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", policy.anyOrigin() ? "*" : origin);
        if (policy.allowsCredentials()) {
            response.setHeader("Access-Control-Allow-Credentials", "true");
        }
        if (request.getMethod().equals("OPTIONS") && request.getHeader("Access-Control-Request-Method") != null) {
            response.setHeader("Access-Control-Allow-Methods", "GET, POST");
            response.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
            response.setHeader("Access-Control-Max-Age", MAX_AGE_SECONDS);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        response.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
        chain.doFilter(request, response);
    }
}
