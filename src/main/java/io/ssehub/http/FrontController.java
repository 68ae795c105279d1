package io.ssehub.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;

import java.io.IOException;

/**
 * The one servlet, mapped to {@code /*}: routes every request to its {@link Handler} and renders
 * every {@link ProblemException} as problem+json.
 *
 * <p>Threading: {@link #service} runs on a container thread, one per request, concurrently for
 * many requests; the router and handlers are immutable and shared. A handler either finishes the
 * response before returning, or (streams only) starts async processing and hands the response to
 * an {@code SseStream}, which alone completes it. Errors are rendered only while the response is
 * uncommitted and never after a handler went async, so a response is never finished twice.
 *
 * <p>Paths are taken from the raw request URI minus the context path (and minus the servlet's
 * prefix when it is mounted as {@code /prefix/*} inside another application), so routes work under
 * any context path and percent-encoded parameters are decoded exactly once, by the router.
 */
public final class FrontController extends HttpServlet {

    private Router router;
    private ProblemWriter problems;

    @Override
    public void init() throws ServletException {
        Object attribute = getServletContext().getAttribute(Services.ATTRIBUTE);
        if (!(attribute instanceof Services services)) {
            throw new ServletException("ssehub is not initialised: the AppLifecycle listener did not run");
        }
        problems = new ProblemWriter(services.json());
        router = new Router();
        for (RouteSet front : services.routeSets()) {
            front.addTo(router, services);
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            String path = pathOf(request);
            if (path.isEmpty()) {
                // Mounted under a prefix and asked for it without the slash: the page's relative
                // URLs only resolve below the prefix. (Not sendRedirect(String): compiled against
                // Servlet 6.0 it is abstract, and Tomcat 11 implements only 6.1's default method.)
                response.setStatus(HttpServletResponse.SC_FOUND);
                response.setHeader("Location", request.getRequestURI() + "/"
                        + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
                return;
            }
            Router.Match match = router.match(request.getMethod(), path);
            match.handler().handle(request, response, match.params());
        } catch (ProblemException problem) {
            if (!request.isAsyncStarted()) {
                problems.write(request, response, problem);
            }
        }
    }

    /**
     * The raw request URI minus the context path and, when the servlet is mapped to a prefix such
     * as {@code /hub/*} (embedded in another application), minus that prefix. Empty only for the
     * bare prefix; otherwise starts with {@code /}.
     */
    static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        String prefix = prefixOf(request.getHttpServletMapping());
        if (!prefix.isEmpty() && path.startsWith(prefix)) {
            return path.substring(prefix.length());
        }
        return path.isEmpty() ? "/" : path;
    }

    private static String prefixOf(HttpServletMapping mapping) {
        if (mapping == null || mapping.getMappingMatch() != MappingMatch.PATH) {
            return "";
        }
        String pattern = mapping.getPattern();
        return pattern.endsWith("/*") ? pattern.substring(0, pattern.length() - 2) : "";
    }
}
