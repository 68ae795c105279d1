package io.ssehub.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import java.net.URL;

/**
 * How log lines look: {@code logback.xml}'s readable text, or {@code logback-json.xml}'s one JSON
 * object per line. Logback reads its configuration before ours is known, so JSON is switched to
 * at startup by reconfiguring this application's logback context.
 *
 * <p>Only the standalone WAR owns its logging. Embedded, the logging context is the host
 * application's: resetting it would wipe the host's appenders and levels, and sending ssehub's
 * lines elsewhere would take them away from the host's files and shippers (and mix JSON into a
 * text console). So embedded, the host's configuration decides the format of ssehub's lines too,
 * and asking for JSON only logs a line saying so. That path touches no logback class, so it also
 * works for a host with another SLF4J backend.
 */
enum LogFormat {
    TEXT,
    JSON;

    static final String JSON_CONFIGURATION = "/logback-json.xml";

    /**
     * Applies this format to the logging in use: standalone, JSON reconfigures logback's context (a
     * backend other than logback is left alone); embedded, nothing is changed.
     */
    void apply(boolean embedded) {
        apply(LoggerFactory.getILoggerFactory(), embedded);
    }

    void apply(ILoggerFactory factory, boolean embedded) {
        if (this != JSON) {
            return;
        }
        if (embedded) {
            factory.getLogger(LogFormat.class.getName()).info("ssehub.log.format=json leaves logging alone when"
                    + " embedded: the host application's logging configuration decides how ssehub's lines look");
            return;
        }
        if (factory instanceof LoggerContext context) {
            configure(context, LogFormat.class.getResource(JSON_CONFIGURATION));
        }
    }

    static void configure(LoggerContext context, URL configuration) {
        Logback.configure(context, configuration);
    }

    /**
     * What needs logback's own classes, apart: loading {@code LogFormat} must not load them (its
     * {@code catch} of a logback exception would), or a host with another SLF4J backend and no
     * logback could not start the embedded hub, whatever the format.
     */
    private static final class Logback {

        static void configure(LoggerContext context, URL configuration) {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            context.reset();
            try {
                configurator.doConfigure(configuration);
            } catch (JoranException e) {
                throw new IllegalStateException("cannot configure JSON logging from " + configuration, e);
            }
        }
    }
}
