package io.ssehub.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void aBadFormatNamesTheKey() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> Config.load(
                new Config.Sources(Map.of("ssehub.log.format", "xml")::get, k -> null, k -> null)));
        assertTrue(e.getMessage().contains("ssehub.log.format"), e.getMessage());
    }
}
