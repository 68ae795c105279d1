package io.ssehub.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every log event of this JVM (the web application under test logs through the same
 * logback), so a test can check what was written, such as that no secret ever was.
 */
public final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    public LogCapture() {
        appender.setName("capture-" + System.identityHashCode(this));
        appender.start();
        root.addAppender(appender);
    }

    /** Every line so far: the formatted message and any stack trace, with the MDC. */
    public List<String> lines() {
        return lines("");
    }

    /**
     * The lines of loggers whose name starts with {@code prefix}, and every line at WARN or above
     * whoever wrote it.
     */
    public List<String> lines(String prefix) {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            if (!event.getLoggerName().startsWith(prefix) && !event.getLevel().isGreaterOrEqual(Level.WARN)) {
                continue;
            }
            String line = event.getLevel() + " " + event.getLoggerName() + " " + event.getMDCPropertyMap() + " " + event.getFormattedMessage();
            if (event.getThrowableProxy() != null) {
                line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
            }
            lines.add(line);
        }
        return lines;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
