package io.ssehub.spring;

import io.ssehub.http.Readiness;
import io.ssehub.http.Services;
import jakarta.servlet.ServletContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hub's {@code /readyz} as an Actuator health component, in terms every Spring Boot's
 * {@code Health.status(..).withDetails(..)} takes: {@code UP} while it runs and every readiness
 * check passes (the Redis backplane's, the credentials'), {@code OUT_OF_SERVICE} while it starts or
 * stops, {@code DOWN} when a check fails or the hub is not running. The details carry the phase,
 * each check, and the open streams.
 */
record SseHubHealth(String status, Map<String, Object> details) {

    static SseHubHealth of(ServletContext context) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (!(context.getAttribute(Services.ATTRIBUTE) instanceof Services services)) {
            details.put("phase", "not running");
            return new SseHubHealth("DOWN", details);
        }
        Readiness.Report report = services.operations().readiness().report();
        details.put("phase", report.phase());
        details.put("checks", report.checks());
        details.put("streams", services.streams().size());
        String status = report.ready() ? "UP"
                : report.phase() != Readiness.Phase.RUNNING ? "OUT_OF_SERVICE" : "DOWN";
        return new SseHubHealth(status, details);
    }
}
