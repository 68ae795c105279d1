package io.ssehub.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFormatTest {

    @Test
    @SuppressWarnings("unchecked")
    void jsonConfigurationWritesOneJsonObjectPerLineWithTheRequestId() throws Exception {
        LoggerContext context = new LoggerContext();
        LogFormat.configure(context, LogFormat.class.getResource(LogFormat.JSON_CONFIGURATION));
        ch.qos.logback.classic.Logger logger = context.getLogger("io.ssehub.access");
        assertTrue(logger.isInfoEnabled(), "request lines are logged");
        ConsoleAppender<?> appender = (ConsoleAppender<?>) context.getLogger("ROOT").getAppender("STDOUT");
        Encoder<Object> encoder = (Encoder<Object>) appender.getEncoder();

        LoggingEvent event = new LoggingEvent("x", logger, Level.INFO, "{} {} {} {} ms",
                null, new Object[]{"GET", "/events/a\"b", 200, 3});
        event.setMDCPropertyMap(Map.of("requestId", "r-1"));
        String line = new String(encoder.encode(event), java.nio.charset.StandardCharsets.UTF_8);

        assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
        JsonNode json = new ObjectMapper().readTree(line);
        assertEquals("GET /events/a\"b 200 3 ms", json.get("formattedMessage").asText());
        assertEquals("INFO", json.get("level").asText());
        assertEquals("io.ssehub.access", json.get("loggerName").asText());
        assertEquals("r-1", json.get("mdc").get("requestId").asText());
        context.stop();
    }

    /** A host application's logging: its own appender on the root logger, its own level for ssehub. */
    private static LoggerContext hostLogging(ListAppender<ILoggingEvent> hostAppender) {
        LoggerContext context = new LoggerContext();
        context.setName("host");
        hostAppender.setContext(context);
        hostAppender.setName("HOST");
        hostAppender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(hostAppender);
        context.getLogger("io.ssehub").setLevel(Level.DEBUG);
        return context;
    }

    @Test
    void jsonWhenEmbeddedLeavesTheHostsLoggingAloneAndSaysSo() {
        ListAppender<ILoggingEvent> hostAppender = new ListAppender<>();
        LoggerContext context = hostLogging(hostAppender);

        LogFormat.JSON.apply(context, true);

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertSame(hostAppender, root.getAppender("HOST"), "the host's appender survives");
        assertTrue(hostAppender.isStarted());
        assertNull(root.getAppender("STDOUT"), "no JSON appender of ours");
        assertEquals(Level.DEBUG, context.getLogger("io.ssehub").getLevel(), "the host's levels survive");
        assertTrue(context.getLogger("io.ssehub").isAdditive(), "ssehub's lines still reach the host's appenders");

        context.getLogger("io.ssehub.access").info("GET /events/a 200 1 ms");
        List<String> lines = hostAppender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("host application's logging configuration decides"), lines.get(0));
        assertEquals(Level.INFO, hostAppender.list.get(0).getLevel());
        assertEquals("GET /events/a 200 1 ms", lines.get(1), "ssehub logs through the host's configuration");
        context.stop();
    }

    @Test
    void textWhenEmbeddedChangesNothingAndSaysNothing() {
        ListAppender<ILoggingEvent> hostAppender = new ListAppender<>();
        LoggerContext context = hostLogging(hostAppender);

        LogFormat.TEXT.apply(context, true);

        assertSame(hostAppender, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("HOST"));
        assertEquals(List.of(), hostAppender.list);
        context.stop();
    }

    @Test
    void jsonInTheStandaloneWarReplacesItsOwnConfiguration() {
        // The WAR's logging context is its own: JSON swaps logback.xml for logback-json.xml.
        ListAppender<ILoggingEvent> earlier = new ListAppender<>();
        LoggerContext context = hostLogging(earlier);

        LogFormat.JSON.apply(context, false);

        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertNull(root.getAppender("HOST"));
        assertTrue(root.getAppender("STDOUT") instanceof ConsoleAppender<?> console
                && console.getEncoder() instanceof ch.qos.logback.classic.encoder.JsonEncoder, "JSON on stdout");
        assertEquals(Level.INFO, context.getLogger("io.ssehub").getLevel());
        context.stop();
    }

    @Test
    void loadsAndAppliesWithoutLogbackWhenEmbedded() throws Throwable {
        // A host may bring another SLF4J backend and no logback at all; loading LogFormat once
        // pulled in a logback class, so the embedded hub could not start whatever the format.
        URL[] path = {
                LogFormat.class.getProtectionDomain().getCodeSource().getLocation(),
                org.slf4j.Logger.class.getProtectionDomain().getCodeSource().getLocation()};
        try (URLClassLoader withoutLogback = new URLClassLoader(path, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> withoutLogback.loadClass(LoggerContext.class.getName()));
            Class<?> type = withoutLogback.loadClass(LogFormat.class.getName());
            // Method handles resolve the one method; reflection would load every method's types.
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            MethodHandle apply = lookup.findVirtual(type, "apply", MethodType.methodType(void.class, boolean.class));
            for (String format : List.of("TEXT", "JSON")) {
                apply.invoke(lookup.findStaticGetter(type, format, type).invoke(), true);
            }
        }
    }

    @Test
    void aBadFormatNamesTheKey() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> Config.load(
                new Config.Sources(Map.of("ssehub.log.format", "xml")::get, k -> null, k -> null)));
        assertTrue(e.getMessage().contains("ssehub.log.format"), e.getMessage());
    }
}
