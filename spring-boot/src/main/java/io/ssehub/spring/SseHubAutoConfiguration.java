package io.ssehub.spring;

import io.ssehub.api.SseHub;
import jakarta.servlet.ServletContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Mounts ssehub in a Spring Boot 3.5 servlet application that has
 * {@code io.ssehub:ssehub-spring-boot} on its class path: what {@link SseHubConfiguration}
 * registers, and a health contributor named {@code ssehub} if Actuator is present. Only the types
 * this Spring Boot keeps in packages of its own are named here.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SseHubAutoConfiguration extends SseHubConfiguration {

    public SseHubAutoConfiguration() {
        super(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
    }

    /** Only with Actuator on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Actuator {

        /** Reported as the health component {@code ssehub}: {@link SseHubHealth}. */
        @Bean
        HealthIndicator ssehubHealthIndicator(ServletContext servletContext) {
            return () -> {
                SseHubHealth hub = SseHubHealth.of(servletContext);
                return Health.status(hub.status()).withDetails(hub.details()).build();
            };
        }
    }
}
