package io.ssehub.spring;

import io.ssehub.http.Readiness;
import io.ssehub.http.Services;
import jakarta.servlet.ServletContext;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The hub's {@code /readyz} as an Actuator health component: {@code UP} while it runs and every
 * readiness check passes (the Redis backplane's, the credentials'), {@code OUT_OF_SERVICE} while
 * it starts or stops, {@code DOWN} when a check fails or the hub is not running. The details carry
 * the phase, each check, and the open streams.
 */
final class SseHubHealthIndicator implements HealthIndicator {

    private final ServletContext context;

    SseHubHealthIndicator(ServletContext context) {
        this.context = context;
    }

    @Override
    public Health health() {
        if (!(context.getAttribute(Services.ATTRIBUTE) instanceof Services services)) {
            return Health.down().withDetail("phase", "not running").build();
        }
        Readiness.Report report = services.operations().readiness().report();
        Health.Builder health = report.ready() ? Health.up()
                : report.phase() != Readiness.Phase.RUNNING ? Health.outOfService() : Health.down();
        return health.withDetail("phase", report.phase())
                .withDetail("checks", report.checks())
                .withDetail("streams", services.streams().size())
                .build();
    }
}
