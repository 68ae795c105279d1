package io.ssehub.http.filter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The last line of defence: anything thrown by a handler, an {@link Error} included, is logged
 * once, with the request id (from the MDC) and its stack trace, and becomes a
 * {@code 500 application/problem+json} if the response is not yet committed. It is not rethrown,
 * so the container keeps serving and never renders its own error page.
 *
 * <p>A {@link StackOverflowError} (deep recursion on a pathological input) is contained like any
 * other: by the time it reaches this filter the stack has unwound and the thread is sound. The
 * other {@link VirtualMachineError}s ({@link OutOfMemoryError}, {@link InternalError}) say the JVM
 * itself is in trouble; they are answered if possible and rethrown for the container and the JVM
 * to see.
 *
 * <p>An {@link IOException} is the connection to the client failing while its request was read or
 * its answer written (the client reset it, went away or stopped reading until a timeout): an
 * ordinary event on a busy server, logged at DEBUG without a stack trace, as a closed stream is.
 */
public final class RecoveryFilter extends HttpFilter {

    private static final Logger log = LoggerFactory.getLogger(RecoveryFilter.class);

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain) {
        try {
            chain.doFilter(request, response);
        } catch (IOException e) {
            log.debug("connection failed in {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
            answerIfPossible(request, response);
        } catch (StackOverflowError | Exception e) {
            log.error("unhandled exception in {} {}", request.getMethod(), request.getRequestURI(), e);
            answerIfPossible(request, response);
        } catch (VirtualMachineError e) {
            log.error("the JVM failed in {} {}", request.getMethod(), request.getRequestURI(), e);
            answerIfPossible(request, response);
            throw e;
        } catch (Error e) {
            log.error("unhandled error in {} {}", request.getMethod(), request.getRequestURI(), e);
            answerIfPossible(request, response);
        }
    }

    private static void answerIfPossible(HttpServletRequest request, HttpServletResponse response) {
        if (!response.isCommitted() && !request.isAsyncStarted()) {
            writeInternalError(response);
        }
    }

    private static void writeInternalError(HttpServletResponse response) {
        // The request id is restricted to [A-Za-z0-9._-], so it needs no JSON escaping.
        String requestId = RequestIdFilter.of(response); // before reset() clears the headers
        String body = "{\"type\":\"urn:ssehub:problem:internal\",\"title\":\"Internal Server Error\","
                + "\"status\":500,\"detail\":\"the server failed to handle this request\""
                + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"") + "}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            response.reset();
            if (requestId != null) {
                response.setHeader(RequestIdFilter.HEADER, requestId);
            }
            response.setStatus(500);
            response.setContentType("application/problem+json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        } catch (IOException | RuntimeException e) {
            log.debug("could not send the 500 answer: {}", e.toString());
        }
    }
}
