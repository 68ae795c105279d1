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
 */
enum LogFormat {
    TEXT,
    JSON;

    static final String JSON_CONFIGURATION = "/logback-json.xml";

    /** Applies this format to the logging in use; a backend other than logback is left alone. */
    void apply() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (this == JSON && factory instanceof LoggerContext context) {
            configure(context, LogFormat.class.getResource(JSON_CONFIGURATION));
        }
    }

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
