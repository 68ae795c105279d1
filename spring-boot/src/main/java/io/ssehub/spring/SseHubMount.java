package io.ssehub.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.ssehub.app.AppLifecycle;
import io.ssehub.app.EmbeddedInitializer;
import io.ssehub.app.Setting;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletException;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.core.env.Environment;

import java.util.function.Supplier;

/**
 * Hands the application's {@code ssehub.*} properties to ssehub as context parameters, where its
 * configuration reads them (the environment and system properties still come first, as for every
 * ssehub deployment, and as Spring ranks them too), lends it the application's
 * {@link MeterRegistry}, and then registers exactly what the embedding initializer
 * registers: the listener, every filter of the one filter list in its order, and the servlet,
 * under the prefix. {@link #stopHub()} stops the hub before the container would.
 */
final class SseHubMount implements ServletContextInitializer {

    private final Environment environment;
    private final Supplier<MeterRegistry> meterRegistry;
    private final AppLifecycle lifecycle = new AppLifecycle();
    private volatile ServletContext mounted;

    SseHubMount(Environment environment, Supplier<MeterRegistry> meterRegistry) {
        this.environment = environment;
        this.meterRegistry = meterRegistry;
    }

    @Override
    public void onStartup(ServletContext context) throws ServletException {
        for (Setting setting : Setting.values()) {
            String value = environment.getProperty(setting.key());
            if (value != null) {
                context.setInitParameter(setting.key(), value);
            }
        }
        MeterRegistry registry = meterRegistry.get();
        if (registry != null) {
            context.setAttribute(AppLifecycle.HOST_METER_REGISTRY, registry);
        }
        EmbeddedInitializer.mount(context, lifecycle);
        mounted = context;
    }

    /**
     * Stops the hub as an undeploy does (its streams end with their last words); the container's
     * own call later does nothing more.
     */
    void stopHub() {
        ServletContext context = mounted;
        if (context != null) {
            lifecycle.contextDestroyed(new ServletContextEvent(context));
        }
    }
}
