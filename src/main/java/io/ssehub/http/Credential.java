package io.ssehub.http;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The API key or token a request presents, and where it came from. Looked for, in order, in
 * {@code Authorization: Bearer …}, {@code X-API-Key}, the front end's cookie (an
 * {@code EventSource} cannot set headers) and, for streams only, the front end's query
 * parameter. Never logged.
 *
 * @param value  the credential, or {@code null} when none was presented
 * @param source where it came from, or {@code null}
 */
public record Credential(String value, Source source) {

    static final Credential NONE = new Credential(null, null);

    public enum Source { HEADER, COOKIE, QUERY }

    /**
     * Where a front end's clients put their credential besides the headers.
     *
     * @param cookie         the cookie's name
     * @param queryParameter the query parameter a stream may carry it in
     */
    public record Places(String cookie, String queryParameter) {
    }

    /** Headers and cookie only: what a publisher may use. */
    static Credential fromHeadersOrCookie(HttpServletRequest request, Places places) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            // A scheme other than Bearer is not ours to read: no credential, rather than a wrong one.
            return authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? new Credential(authorization.substring(7).trim(), Source.HEADER) : NONE;
        }
        String apiKey = request.getHeader("X-API-Key");
        if (apiKey != null) {
            return new Credential(apiKey.trim(), Source.HEADER);
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (places.cookie().equals(cookie.getName()) && !cookie.getValue().isEmpty()) {
                    return new Credential(cookie.getValue(), Source.COOKIE);
                }
            }
        }
        return NONE;
    }

    /** Headers, cookie, then the query parameter: what a stream may use. */
    static Credential fromAnywhere(HttpServletRequest request, Places places) {
        Credential credential = fromHeadersOrCookie(request, places);
        if (credential.value() == null) {
            String query = QueryParameter.of(request, places.queryParameter());
            if (query != null && !query.isEmpty()) {
                return new Credential(query, Source.QUERY);
            }
        }
        return credential;
    }

    /**
     * Whether the raw query string names the query parameter, read without
     * {@code getParameter()}, which would consume a form-encoded body.
     */
    static boolean inQuery(HttpServletRequest request, Places places) {
        String query = request.getQueryString();
        if (query == null) {
            return false;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (name.toLowerCase(Locale.ROOT).equals(places.queryParameter().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
