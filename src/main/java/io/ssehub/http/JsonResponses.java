package io.ssehub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** Writes a 200 {@code application/json} answer. */
public final class JsonResponses {

    private JsonResponses() {
    }

    public static void write(HttpServletResponse response, ObjectMapper json, Object body) throws IOException {
        write(response, json.writeValueAsBytes(body));
    }

    /** Writes JSON that is already encoded (UTF-8). */
    public static void write(HttpServletResponse response, byte[] bytes) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        // One call, not a type and then a charset: each call makes the container parse and rebuild
        // the header. The same header on the wire (Jetty writes the charset in lower case either way).
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
