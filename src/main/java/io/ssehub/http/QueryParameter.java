package io.ssehub.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads a query parameter of a request that is to become a stream. {@code getParameter()} makes
 * some containers build the request's parameter maps even when there is no query at all (on
 * Undertow a {@code TreeMap} and its entries), and a stream's request keeps them for as long as the
 * stream is open; a request without a query string has no parameter, so it is not asked.
 */
final class QueryParameter {

    private QueryParameter() {
    }

    /** The parameter's first value, or {@code null}; only ever from the query of a bodyless request. */
    static String of(HttpServletRequest request, String name) {
        return request.getQueryString() == null ? null : request.getParameter(name);
    }
}
