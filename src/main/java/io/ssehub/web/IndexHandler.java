package io.ssehub.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** {@code GET /}: the demo page, {@code index.html} of the web application, read once. */
final class IndexHandler implements Handler {

    private final byte[] page;
    private final java.util.List<String> links;

    IndexHandler(ServletContext context, java.util.List<String> links) {
        this.links = links;
        try (InputStream in = context.getResourceAsStream("/index.html")) {
            if (in == null) {
                throw new IllegalStateException("index.html is missing from the web application");
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
