package io.ssehub.app;

import io.ssehub.http.FrontController;
import io.ssehub.http.filter.FilterOrder;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Mounts ssehub inside another web application under a path prefix
 * ({@code ssehub.embedded.prefix}, {@code /ssehub} by default): the same listener, filters (every
 * one of {@link FilterOrder}, in its order, as the standalone {@code web.xml} declares them, named
 * {@code ssehub.<name>} so as not to clash with the host's) and servlet, mapped to
 * {@code <prefix>/*} instead of {@code /*}, so the host's own servlets and filters keep the rest of
 * its paths.
 *
 * <p>Only the embedding jar ({@code io.ssehub:ssehub-embedded}, on {@code ssehub-core}) names this class in
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}; the standalone WAR does
 * not, and its {@code web.xml} stays the whole truth. The Spring Boot integration, whose embedded
 * containers run no initializer from a jar, calls {@link #onStartup} itself. Configuration comes from the host's
 * context-params, system properties and environment, as in the WAR. Logging stays the host's:
 * the context attribute {@link #MOUNTED_AT} tells {@link AppLifecycle} that the hub runs embedded,
 * and {@link LogFormat} then leaves the host's configuration alone.
 */
public final class EmbeddedInitializer implements ServletContainerInitializer {

    /** The context attribute holding the mount prefix; present only when the hub runs embedded. */
    public static final String MOUNTED_AT = "io.ssehub.embedded.prefix";

    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        mount(context, new AppLifecycle());
    }

    /**
     * Registers the hub in {@code context} as {@link #onStartup} does, with {@code lifecycle} as its
     * listener: for a host that mounts ssehub itself and may stop it before its container does.
     * Call it while the context is being initialised, as a {@code ServletContainerInitializer} is.
     */
    public static void mount(ServletContext context, AppLifecycle lifecycle) {
        String prefix = prefix(Config.Sources.of(context::getInitParameter));
        String pattern = prefix + "/*";
        context.setAttribute(MOUNTED_AT, prefix);
        context.addListener(lifecycle);
        for (FilterOrder filter : FilterOrder.values()) {
            filter(context, filter, pattern);
        }
        ServletRegistration.Dynamic servlet = context.addServlet("ssehub", FrontController.class);
        if (servlet == null) {
            throw new IllegalStateException("the host application already has a servlet named ssehub");
        }
        servlet.setLoadOnStartup(1);
        servlet.setAsyncSupported(true);
        Set<String> taken = servlet.addMapping(pattern);
        if (!taken.isEmpty()) {
            throw new IllegalStateException("the host application already maps " + taken
                    + "; choose another " + Setting.EMBEDDED_PREFIX.key());
        }
        context.log("ssehub mounted at " + context.getContextPath() + prefix + "/");
    }

    /** The mount prefix: one or more plain path segments, such as {@code /ssehub} or {@code /api/events}. */
    static String prefix(Config.Sources sources) {
        String raw = sources.raw(Setting.EMBEDDED_PREFIX);
        String prefix = raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
        if (!PREFIX.matcher(prefix).matches()) {
            throw new ConfigException(Setting.EMBEDDED_PREFIX, raw,
                    "a path such as /ssehub: segments of A-Z a-z 0-9 . _ ~ -, each after a /");
        }
        return prefix;
    }

    private static void filter(ServletContext context, FilterOrder which, String pattern) {
        String name = "ssehub." + which.filterName();
        FilterRegistration.Dynamic filter = context.addFilter(name, which.type());
        if (filter == null) {
            throw new IllegalStateException("the host application already has a filter named " + name);
        }
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, pattern);
    }
}
