package io.ssehub.web;

import io.ssehub.http.AccessGuard;
import io.ssehub.http.Handler;
import io.ssehub.http.Operations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /metrics}: every meter in the Prometheus text exposition format. Once any credential
 * is configured it answers only an {@code admin} grant, such as a key of {@code ssehub.ops.apikeys}
 * that a scraper sends as {@code Authorization: Bearer}.
 */
final class MetricsHandler implements Handler {

    private final Operations.Exposition metrics;
    private final AccessGuard guard;

    MetricsHandler(Operations.Exposition metrics, AccessGuard guard) {
        this.metrics = metrics;
        this.guard = guard;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        guard.checkOperator(request);
        // Rendered fully before anything is sent, so a failing meter still gets a clean 500.
        ByteArrayOutputStream body = new ByteArrayOutputStream(32 * 1024);
        metrics.writer().writeTo(body);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(metrics.contentType());
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        body.writeTo(response.getOutputStream());
    }
}
