package io.ssehub.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /}: the console, read once from the class path ({@code io/ssehub/web/index.html}) so
 * it comes with the classes wherever they go: in the WAR, or in the embedding jar inside another
 * application, whose own {@code /index.html} it must not pick up.
 */
final class IndexHandler implements Handler {

    private final byte[] page;
    private final java.util.List<String> links;

    IndexHandler(java.util.List<String> links) {
        this.links = links;
        try (InputStream in = IndexHandler.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IllegalStateException("io/ssehub/web/index.html is missing from the class path");
            }
            this.page = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        for (String link : links) {
            response.addHeader("Link", link);
        }
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }
}
