package io.ssehub.sse;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

/**
 * Which servlet container an object of the container's own (a request, a response, an output
 * stream) belongs to, judged by its class's package: ssehub is built against the servlet API only,
 * and where a container needs handling of its own ({@link ContainerOutput}, and in
 * {@code io.ssehub.http} the reading of bodies left unread) this is the one place that tells them
 * apart. A filter's wrapper is nobody's container: {@link #unwrapped} finds what it wraps.
 */
public enum Container {
    JETTY("org.eclipse.jetty."),
    TOMCAT("org.apache.catalina."),
    UNDERTOW("io.undertow."),
    /** Any other container, or an object that is not a container's (a wrapper, a test's). */
    OTHER(null);

    private static final ClassValue<Container> BY_CLASS = new ClassValue<>() {
        @Override
        protected Container computeValue(Class<?> type) {
            String name = type.getName();
            for (Container container : values()) {
                if (container.prefix != null && name.startsWith(container.prefix)) {
                    return container;
                }
            }
            return OTHER;
        }
    };

    private final String prefix;

    Container(String prefix) {
        this.prefix = prefix;
    }

    /** The container whose classes include {@code type}; looked up once per class. */
    public static Container of(Class<?> type) {
        return BY_CLASS.get(type);
    }

    /** The container serving {@code request}, under any wrappers. */
    public static Container of(ServletRequest request) {
        return of(unwrapped(request).getClass());
    }

    /** The container's own request under any wrappers. */
    public static ServletRequest unwrapped(ServletRequest request) {
        while (request instanceof ServletRequestWrapper wrapper) {
            request = wrapper.getRequest();
        }
        return request;
    }

    /** The container's own response under any wrappers. */
    public static ServletResponse unwrapped(ServletResponse response) {
        while (response instanceof ServletResponseWrapper wrapper) {
            response = wrapper.getResponse();
        }
        return response;
    }
}
