package io.ssehub.testing;

import jakarta.servlet.Servlet;

import java.net.URI;
import java.util.Map;

/**
 * This web application deployed in a real servlet container on an ephemeral loopback port, under
 * the context path {@link #CONTEXT}.
 */
public interface TestServer extends AutoCloseable {

    String CONTEXT = "/ssehub";

    /**
     * Starts a fresh container of this kind; {@code params} override web.xml context-params, and
     * {@code servlets} (URL pattern to class, for tests only) are deployed beside the hub's servlet,
     * behind the same filters.
     */
    interface Starter {
        TestServer start(Map<String, String> params, Map<String, Class<? extends Servlet>> servlets) throws Exception;
    }

    /** A kind of container, by name. */
    record Factory(String name, Starter starter) {
        public TestServer start(Map<String, String> params) throws Exception {
            return start(params, Map.of());
        }

        public TestServer start(Map<String, String> params, Map<String, Class<? extends Servlet>> servlets)
                throws Exception {
            return starter.start(params, servlets);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The application's base URI, ending in {@code /}, e.g. {@code http://127.0.0.1:41234/ssehub/}. */
    URI base();

    /** The container's default async timeout that ssehub must switch off for streams. */
    long defaultAsyncTimeoutMillis();

    /** Stops (undeploys) the web application, leaving the container running. */
    void undeploy() throws Exception;

    /** Deploys the web application again after {@link #undeploy()}, as a redeploy does. */
    void redeploy() throws Exception;

    @Override
    void close() throws Exception;
}
