package io.ssehub.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.ssehub.api.SseHub;
import jakarta.servlet.ServletContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * What ssehub registers in a Spring Boot servlet application, whichever Spring Boot it is: the
 * mount, the shutdown step and the {@link SseHub} bean. Each Spring Boot module's
 * {@code SseHubAutoConfiguration} extends it with what names that version's moved types: the
 * phase of the web server's graceful shutdown, the health contributor, the metrics
 * auto-configurations to come after.
 *
 * <p>The application gets the hub under {@code ssehub.embedded.prefix} ({@code /ssehub} by
 * default), configured from its own properties ({@code ssehub.*}, the keys of the configuration
 * table), with the hub's meters in its {@link MeterRegistry} if it has one.
 *
 * <p>Spring Boot's embedded containers do not run a {@code ServletContainerInitializer} from a
 * jar, so {@link SseHubMount} does the embedding initializer's registration as a Spring Boot
 * {@link ServletContextInitializer}. The Spring Boot modules depend on {@code ssehub-core}, not on
 * {@code ssehub-embedded}, so a container that does run jar initializers (the application
 * packaged as a WAR) does not mount the hub twice.
 *
 * <p>When the application stops, {@link SseHubShutdown} stops the hub before the web server's
 * graceful shutdown, which would otherwise wait for the open streams to end.
 */
abstract class SseHubConfiguration {

    private final int gracefulShutdownPhase;

    /** {@code gracefulShutdownPhase}: the lifecycle phase of the web server's graceful shutdown. */
    SseHubConfiguration(int gracefulShutdownPhase) {
        this.gracefulShutdownPhase = gracefulShutdownPhase;
    }

    /** A {@link ServletContextInitializer}: Spring Boot runs it as the web server starts. */
    @Bean
    SseHubMount ssehubMount(Environment environment, ObjectProvider<MeterRegistry> meterRegistry) {
        return new SseHubMount(environment, meterRegistry::getIfAvailable);
    }

    /** Stops the hub when the application stops, before the web server's graceful shutdown. */
    @Bean
    SseHubShutdown ssehubShutdown(SseHubMount mount) {
        return new SseHubShutdown(mount::stopHub, gracefulShutdownPhase + 1);
    }

    /**
     * The running hub. The web server, and with it ssehub, has started before Spring creates the
     * application's singletons, so the hub is there to be taken.
     */
    @Bean
    public SseHub sseHub(ServletContext servletContext) {
        return SseHub.from(servletContext);
    }
}
