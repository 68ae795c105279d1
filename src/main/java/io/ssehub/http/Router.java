package io.ssehub.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Matches a method and a path (relative to the context path, still percent-encoded) to a
 * {@link Handler}. Patterns are literal segments and {@code {name}} segments that match exactly one
 * non-slash segment, e.g. {@code /events/{topic}}.
 *
 * <p>Unknown path: 404. Known path, other method: 405 with an {@code Allow} header. A GET route
 * also answers HEAD. Immutable and thread-safe once built.
 */
public final class Router {

    /** A matched route: its handler and its decoded path parameters. */
    public record Match(Handler handler, Map<String, String> params) {
    }

    /** A route; {@code params[i]} names the parameter that segment {@code i} is, or is {@code null} for a literal. */
    private record Route(String method, String[] segments, String[] params, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route; returns {@code this} for chaining. */
    public Router add(String method, String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        }
        String[] segments = split(pattern);
        String[] params = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            if (isParam(segments[i])) {
                params[i] = segments[i].substring(1, segments[i].length() - 1);
            }
        }
        routes.add(new Route(method, segments, params, handler));
        return this;
    }

    /**
     * @throws ProblemException 404, 405 or, for a parameter that is not valid percent-encoded
     *                          UTF-8, 400
     */
    public Match match(String method, String path) {
        String[] segments = split(path.isEmpty() ? "/" : path);
        Set<String> allowed = null; // made only for a path whose method has no route: most requests match
        for (Route route : routes) {
            if (!matches(route, segments)) {
                continue;
            }
            if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
                // HEAD is GET without a body (RFC 9110 9.3.2); the container drops what is written.
                return new Match(route.handler(), params(route, segments));
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(route.method());
            if (route.method().equals("GET")) {
                allowed.add("HEAD");
            }
        }
        if (allowed == null) {
            throw ProblemException.notFound("no resource at " + truncate(path));
        }
        throw ProblemException.methodNotAllowed(method, String.join(", ", allowed));
    }

    private static boolean matches(Route route, String[] segments) {
        String[] pattern = route.segments();
        if (pattern.length != segments.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (route.params()[i] == null && !pattern[i].equals(segments[i])) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> params(Route route, String[] segments) {
        Map<String, String> params = Map.of(); // most routes have none
        for (int i = 0; i < segments.length; i++) {
            String name = route.params()[i];
            if (name != null) {
                if (params.isEmpty()) {
                    params = new LinkedHashMap<>();
                }
                params.put(name, decode(segments[i]));
            }
        }
        return params;
    }

    private static boolean isParam(String segment) {
        return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
    }

    /** "/" gives no segments; "/a/b" gives [a, b]; "/a/" gives [a, ""]. */
    private static String[] split(String path) {
        if (path.equals("/")) {
            return new String[0];
        }
        return path.substring(1).split("/", -1);
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment; // nothing encoded, and '+' is literal in a path
        }
        try {
            // '+' is literal in a path; URLDecoder would turn it into a space.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("bad-encoding", "Bad percent-encoding",
                    "a path segment is not valid percent-encoding");
        }
    }

    private static String truncate(String path) {
        return path.length() <= 100 ? path : path.substring(0, 100) + "...";
    }
}
