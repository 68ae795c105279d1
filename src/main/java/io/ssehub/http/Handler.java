package io.ssehub.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * Handles one route. Called on a container thread; reports bad input by throwing
 * {@link ProblemException} before anything is written, and never renders errors itself.
 */
@FunctionalInterface
public interface Handler {
    /**
     * @param params the route's path parameters, already percent-decoded
     */
    void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException;
}
