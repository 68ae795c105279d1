package io.ssehub.launcher;

import java.util.function.UnaryOperator;

/**
 * Where the standalone hub listens, read as ssehub reads every key (the environment first, then
 * system properties): the port from {@code SSEHUB_PORT}, {@code -Dssehub.port}, then the
 * platform's {@code PORT} (as Heroku, Cloud Run and others set it), else {@value #DEFAULT_PORT};
 * {@code 0} takes a free port. The address from {@code SSEHUB_BIND} or {@code -Dssehub.bind},
 * else every interface. The keys are {@code ssehub.port} and {@code ssehub.bind} of the WAR's
 * {@code Setting}, documented with the others.
 */
record Address(String host, int port) {

    static final int DEFAULT_PORT = 8080;
    static final String ANY = "0.0.0.0";

    static Address from(UnaryOperator<String> environment, UnaryOperator<String> systemProperties) {
        String port = first(environment.apply("SSEHUB_PORT"), systemProperties.apply("ssehub.port"),
                environment.apply("PORT"));
        String host = first(environment.apply("SSEHUB_BIND"), systemProperties.apply("ssehub.bind"));
        return new Address(host == null ? ANY : host, port == null ? DEFAULT_PORT : port(port));
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new IllegalArgumentException("ssehub.port (SSEHUB_PORT or PORT) must be a port from 0 to 65535, not \""
                + value + "\"");
    }

    private static String first(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
