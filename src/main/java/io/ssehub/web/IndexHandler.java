package io.ssehub.web;

import io.ssehub.http.Handler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /}: the console, read once from the class path ({@code io/ssehub/web/index.html}) so
 * it comes with the classes wherever they go: in the WAR, or in the embedding jar inside another
 * application, whose own {@code /index.html} it must not pick up. It is sent with a
 * {@code Content-Security-Policy} that lets it run only its own inline script and style (by their
 * SHA-256 hashes, computed here from the page), connect only to this origin, and be framed by
 * nobody; with {@code X-Content-Type-Options: nosniff}; and with {@code Link} headers for
 * discovery (the Mercure hub).
 */
final class IndexHandler implements Handler {

    private static final Pattern INLINE = Pattern.compile("<(script|style)>(.*?)</\\1>", Pattern.DOTALL);

    private final byte[] page;
    private final java.util.List<String> links;
    private final String policy;

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
        this.policy = contentSecurityPolicy(new String(page, StandardCharsets.UTF_8));
    }

    /** Allows exactly the page's inline scripts and styles, and nothing else from anywhere. */
    static String contentSecurityPolicy(String html) {
        StringBuilder scripts = new StringBuilder();
        StringBuilder styles = new StringBuilder();
        Matcher m = INLINE.matcher(html);
        while (m.find()) {
            (m.group(1).equals("script") ? scripts : styles).append(" 'sha256-").append(sha256(m.group(2))).append('\'');
        }
        return "default-src 'none'; script-src" + (scripts.isEmpty() ? " 'none'" : scripts)
                + "; style-src" + (styles.isEmpty() ? " 'none'" : styles)
                + "; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("Content-Security-Policy", policy);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        for (String link : links) {
            response.addHeader("Link", link);
        }
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }
}
