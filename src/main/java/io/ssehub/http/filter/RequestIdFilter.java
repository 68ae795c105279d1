package io.ssehub.http.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives every request an id: an incoming {@code X-Request-ID} of 1 to 128 characters of
 * {@code [A-Za-z0-9._-]} is kept, anything else is replaced by a fresh random one. The id is sent
 * back in {@code X-Request-ID}, which is also where the rest of ssehub reads it ({@link #of}), and
 * put in the SLF4J MDC under {@link #MDC_KEY} for the duration of the request, then removed. It is
 * not kept as a request attribute: on Undertow the first attribute costs a request a map of its
 * own, which a stream's request would hold for as long as the stream is open.
 */
public final class RequestIdFilter extends HttpFilter {

    public static final String HEADER = "X-Request-ID";
    public static final String MDC_KEY = "requestId";
    static final int MAX_LENGTH = 128;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = request.getHeader(HEADER);
        if (!isValid(id)) {
            id = newId();
        }
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    /** The id this filter gave the request, read from its response; {@code null} if it did not run. */
    public static String of(HttpServletResponse response) {
        return response.getHeader(HEADER);
    }

    /**
     * A random version-4 UUID from the thread's own generator: a request id needs to be unique, not
     * unguessable, and {@code UUID.randomUUID()} serialises every request on one SecureRandom lock.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
