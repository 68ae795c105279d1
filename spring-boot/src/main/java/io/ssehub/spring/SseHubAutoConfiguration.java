package io.ssehub.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.ssehub.api.SseHub;
import jakarta.servlet.ServletContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Mounts ssehub in a Spring Boot servlet application that has {@code io.ssehub:ssehub-spring-boot}
 * on its class path: under {@code ssehub.embedded.prefix} ({@code /ssehub} by default), configured
 * from the application's own properties ({@code ssehub.*}, the keys of the configuration table),
 * with the hub's meters in the application's {@link MeterRegistry} if it has one, a health
 * contributor named {@code ssehub} if Actuator is present, and {@link SseHub} as a bean.
 *
 * <p>Spring Boot's embedded containers do not run a {@code ServletContainerInitializer} from a
 * jar, so {@link SseHubMount} does the embedding initializer's registration as a Spring Boot
 * {@link ServletContextInitializer}. This module depends on {@code ssehub-core}, not on
 * {@code ssehub-embedded}, so a container that does run jar initializers (the application
 * packaged as a WAR) does not mount the hub twice.
 *
 * <p>When the application stops, {@link SseHubShutdown} stops the hub before the web server's
 * graceful shutdown, which would otherwise wait for the open streams to end.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SseHubAutoConfiguration {

    /** A {@link ServletContextInitializer}: Spring Boot runs it as the web server starts. */
    @Bean
    SseHubMount ssehubMount(Environment environment, ObjectProvider<MeterRegistry> meterRegistry) {
        return new SseHubMount(environment, meterRegistry::getIfAvailable);
    }

    /** Stops the hub when the application stops, before the web server's graceful shutdown. */
    @Bean
    SseHubShutdown ssehubShutdown(SseHubMount mount) {
        return new SseHubShutdown(mount::stopHub);
    }

    /**
     * The running hub. The web server, and with it ssehub, has started before Spring creates the
     * application's singletons, so the hub is there to be taken.
     */
    @Bean
    public SseHub sseHub(ServletContext servletContext) {
        return SseHub.from(servletContext);
    }

    /** Only with Actuator on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        /** Reported as the health component {@code ssehub}. */
        @Bean
        HealthIndicator ssehubHealthIndicator(ServletContext servletContext) {
            return new SseHubHealthIndicator(servletContext);
        }
    }
}
