package io.ssehub.app;

import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.OverflowPolicy;
import io.ssehub.mercure.MercureSettings;

import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration, read once at startup and immutable afterwards.
 *
 * <p>Each {@link Setting} is looked up, in increasing priority, as a {@code web.xml} context-param,
 * a Java system property of the same name ({@code ssehub.tick.interval}), and an environment
 * variable ({@code SSEHUB_TICK_INTERVAL}); the default applies when none is set. An invalid value
 * fails with a {@link ConfigException} naming the key.
 */
public record Config(
        Duration tickInterval,
        Duration keepAliveInterval,
        int subscriberQueue,
        int publishMaxBody,
        int topicMaxLength,
        HistoryLimits history,
        OverflowPolicy overflow,
        Duration overflowGrace,
        int streamMaxTopics,
        Duration streamMaxLifetime,
        int publishMaxBatch,
        String backplane,
        String redisUri,
        MercureSettings mercure,
        boolean mercureEnabled,
        int writerThreads,
        boolean metricsEnabled,
        LogFormat logFormat,
        Duration shutdownRetry,
        Duration shutdownRetryJitter,
        Duration shutdownTimeout) {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");

    /** The configuration as logged at startup: a password in the Redis URI is masked. */
    @Override
    public String toString() {
        return "Config[tick=" + tickInterval + ", keepAlive=" + keepAliveInterval + ", queue=" + subscriberQueue
                + ", maxBody=" + publishMaxBody + ", maxTopicLength=" + topicMaxLength + ", history=" + history
                + ", overflow=" + overflow + "/" + overflowGrace + ", streamMaxTopics=" + streamMaxTopics
                + ", streamMaxLifetime=" + streamMaxLifetime + ", maxBatch=" + publishMaxBatch
                + ", backplane=" + backplane + ", redis=" + redisUri.replaceAll("//[^@/]*@", "//***@")
                + ", mercure=" + (mercureEnabled ? mercure : "off") + ", writerThreads=" + writerThreads
                + ", metrics=" + metricsEnabled + ", log=" + logFormat + ", shutdownRetry=" + shutdownRetry
                + "+" + shutdownRetryJitter + ", shutdownTimeout=" + shutdownTimeout + "]";
    }

    /** Where raw values come from; each function returns {@code null} for an absent key. */
    public record Sources(UnaryOperator<String> contextParams, UnaryOperator<String> systemProperties,
                          UnaryOperator<String> environment) {

        public static Sources of(UnaryOperator<String> contextParams) {
            return new Sources(contextParams, System::getProperty, System::getenv);
        }

        String raw(Setting setting) {
            String value = environment.apply(setting.envName());
            if (value == null) {
                value = systemProperties.apply(setting.key());
            }
            if (value == null) {
                value = contextParams.apply(setting.key());
            }
            return value == null || value.isBlank() ? setting.defaultValue() : value.trim();
        }
    }

    /** The configuration with every default. */
    public static Config defaults() {
        return load(new Sources(k -> null, k -> null, k -> null));
    }

    public static Config load(Sources sources) {
        return new Config(
                duration(sources, Setting.TICK_INTERVAL),
                positive(duration(sources, Setting.KEEPALIVE_INTERVAL), Setting.KEEPALIVE_INTERVAL),
                integer(sources, Setting.SUBSCRIBER_QUEUE, 1, 1_000_000),
                (int) size(sources, Setting.PUBLISH_MAX_BODY, 1, 64L * 1024 * 1024),
                integer(sources, Setting.TOPIC_MAX_LENGTH, 1, 10_000),
                new HistoryLimits(
                        integer(sources, Setting.HISTORY_SIZE, 0, 10_000_000),
                        duration(sources, Setting.HISTORY_MAX_AGE),
                        size(sources, Setting.HISTORY_MAX_BYTES, 0, Long.MAX_VALUE / 2)),
                overflow(sources, Setting.OVERFLOW),
                positive(duration(sources, Setting.OVERFLOW_GRACE), Setting.OVERFLOW_GRACE),
                integer(sources, Setting.STREAM_MAX_TOPICS, 1, 10_000),
                duration(sources, Setting.STREAM_MAX_LIFETIME),
                integer(sources, Setting.PUBLISH_MAX_BATCH, 1, 100_000),
                oneOf(sources, Setting.BACKPLANE, "local", "local", "redis", "redis"),
                redisUri(sources, Setting.REDIS_URI),
                mercure(sources),
                bool(sources, Setting.MERCURE_ENABLED),
                threads(sources, Setting.WRITER_THREADS),
                bool(sources, Setting.METRICS_ENABLED),
                logFormat(sources, Setting.LOG_FORMAT),
                duration(sources, Setting.SHUTDOWN_RETRY),
                duration(sources, Setting.SHUTDOWN_RETRY_JITTER),
                duration(sources, Setting.SHUTDOWN_TIMEOUT));
    }

    static Duration duration(Sources sources, Setting setting) {
        String raw = sources.raw(setting);
        Matcher m = DURATION.matcher(raw);
        if (!m.matches()) {
            throw new ConfigException(setting, raw, "a duration such as 250ms, 5s, 2m or 0");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static int integer(Sources sources, Setting setting, int min, int max) {
        String raw = sources.raw(setting);
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new ConfigException(setting, raw, "a whole number from " + min + " to " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(setting, raw, "a whole number from " + min + " to " + max);
        }
    }

    static long size(Sources sources, Setting setting, long min, long max) {
        String raw = sources.raw(setting);
        Matcher m = SIZE.matcher(raw);
        String expected = "a size in bytes from " + min + " to " + max + ", such as 65536, 64KiB or 1MiB";
        if (!m.matches()) {
            throw new ConfigException(setting, raw, expected);
        }
        long n = Long.parseLong(m.group(1));
        long unit = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 1024L;
            case "MiB" -> 1024L * 1024;
            case "GiB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        if (n > max / unit || n * unit < min) {
            throw new ConfigException(setting, raw, expected);
        }
        return n * unit;
    }

    private static Duration positive(Duration value, Setting setting) {
        if (value.isZero()) {
            throw new ConfigException(setting, "0", "a duration greater than 0");
        }
        return value;
    }

    private static MercureSettings mercure(Sources sources) {
        MercureSettings.Key publisher = new MercureSettings.Key(sources.raw(Setting.MERCURE_PUBLISHER_KEY),
                algorithm(sources, Setting.MERCURE_PUBLISHER_ALG, "HS256"));
        String subscriberKey = sources.raw(Setting.MERCURE_SUBSCRIBER_KEY);
        MercureSettings.Key subscriber = new MercureSettings.Key(
                subscriberKey.isEmpty() ? publisher.key() : subscriberKey,
                algorithm(sources, Setting.MERCURE_SUBSCRIBER_ALG, publisher.algorithm()));
        return new MercureSettings(bool(sources, Setting.MERCURE_ANONYMOUS), bool(sources, Setting.MERCURE_SUBSCRIPTIONS),
                integer(sources, Setting.MERCURE_MAX_TOPICS, 1, 10_000),
                integer(sources, Setting.MERCURE_MAX_TOPIC_LENGTH, 1, 100_000),
                integer(sources, Setting.MERCURE_MAX_SELECTORS, 1, 100_000),
                publisher, subscriber, bool(sources, Setting.MERCURE_REQUIRE_EXP));
    }

    private static String algorithm(Sources sources, Setting setting, String fallback) {
        String raw = sources.raw(setting);
        if (raw.isEmpty()) {
            return fallback;
        }
        if (!raw.matches("(HS|RS|PS|ES)(256|384|512)")) {
            throw new ConfigException(setting, raw, "HS256/384/512, RS256/384/512, PS256/384/512 or ES256/384/512");
        }
        return raw;
    }

    private static String redisUri(Sources sources, Setting setting) {
        String raw = sources.raw(setting);
        if (!raw.matches("(redis|rediss|redis-sentinel|rediss-sentinel|redis-socket)://.+")) {
            throw new ConfigException(setting, raw.replaceAll("//[^@/]*@", "//***@"), "a Redis URI such as redis://host:6379/0");
        }
        return raw;
    }

    private static OverflowPolicy overflow(Sources sources, Setting setting) {
        return oneOf(sources, setting, "drop", OverflowPolicy.DROP, "disconnect", OverflowPolicy.DISCONNECT);
    }

    private static boolean bool(Sources sources, Setting setting) {
        return oneOf(sources, setting, "true", true, "false", false);
    }

    private static LogFormat logFormat(Sources sources, Setting setting) {
        return oneOf(sources, setting, "text", LogFormat.TEXT, "json", LogFormat.JSON);
    }

    /** One of two words, in any case. */
    private static <T> T oneOf(Sources sources, Setting setting, String first, T firstValue, String second,
                               T secondValue) {
        String raw = sources.raw(setting);
        String word = raw.toLowerCase(Locale.ROOT);
        if (word.equals(first)) {
            return firstValue;
        }
        if (word.equals(second)) {
            return secondValue;
        }
        throw new ConfigException(setting, raw, first + " or " + second);
    }

    private static int threads(Sources sources, Setting setting) {
        if (sources.raw(setting).toLowerCase(Locale.ROOT).equals("auto")) {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
        }
        return integer(sources, setting, 1, 256);
    }
}
