package io.ssehub.web;

import io.ssehub.http.Handler;
import io.ssehub.http.JsonResponses;
import io.ssehub.http.ProblemException;
import io.ssehub.http.Readiness;
import io.ssehub.http.Services;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /readyz}: {@code 200 {"status":"ready","checks":{"name":true}}} while the hub runs
 * and every check passes; otherwise {@code 503} problem+json whose detail says why and whose
 * {@code checks} member lists each check's result.
 */
final class ReadyHandler implements Handler {

    private final Readiness readiness;
    private final ObjectMapper json;

    ReadyHandler(Services services) {
        this.readiness = services.operations().readiness();
        this.json = services.json();
    }

    record Ready(String status, Map<String, Boolean> checks) {
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        Readiness.Report report = readiness.report();
        if (report.ready()) {
            JsonResponses.write(response, json, new Ready("ready", report.checks()));
            return;
        }
        String why = switch (report.phase()) {
            case STARTING -> "the hub is starting";
            case STOPPING -> "the hub is shutting down";
            case RUNNING -> "failing: " + String.join(", ", report.checks().entrySet().stream()
                    .filter(e -> !e.getValue()).map(Map.Entry::getKey).toList());
        };
        throw ProblemException.unavailable("not ready: " + why, 1).at("", "checks", report.checks());
    }
}
