package io.ssehub.app;

import io.ssehub.auth.AccessPolicy;
import io.ssehub.auth.CorsPolicy;
import io.ssehub.auth.Secret;
import io.ssehub.auth.SecretFile;
import io.ssehub.auth.TopicPatterns;
import io.ssehub.http.ClientAddress;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.OverflowPolicy;
import io.ssehub.mercure.MercureSettings;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
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
        Duration streamProbe,
        int streamProbeRate,
        int streamBuffer,
        int publishMaxBatch,
        String backplane,
        String redisUri,
        MercureSettings mercure,
        boolean mercureEnabled,
        int writerThreads,
        boolean metricsEnabled,
        LogFormat logFormat,
        boolean accessLog,
        Duration shutdownRetry,
        Duration shutdownRetryJitter,
        Duration shutdownTimeout,
        Access access,
        int streamsMax,
        Duration streamsGrace,
        int streamsPerClient,
        int topicsMax,
        long publishMinRate,
        Duration publishBodyTimeout,
        int publishRate,
        int publishBurst,
        int topicsPerClient,
        ClientAddress trustedProxies,
        Duration redisPing,
        Duration idempotencyTtl,
        int idempotencyKeys) {

    /**
     * Who may publish and subscribe, as configured; {@link AccessWiring} builds the policy from it.
     * Its {@code toString} shows no secret.
     */
    public record Access(Set<AccessPolicy.Method> publish, Set<AccessPolicy.Method> subscribe,
                         TopicPatterns publicTopics, String apiKeys, String apiKeysFile, Secret jwtSecret,
                         String jwtSecretFile, String jwtPublicKey, String jwks, String issuer, String audience,
                         Duration leeway, int maxPatterns, CorsPolicy cors, String opsAccess, String opsApiKeys) {
    }

    /** {@link #streamBuffer()} when it is {@code auto}: each stream asks what suits its container. */
    public static final int STREAM_BUFFER_AUTO = -1;

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KiB|MiB|GiB)?");

    /** The configuration as logged at startup: a password in the Redis URI is masked. */
    @Override
    public String toString() {
        return "Config[tick=" + tickInterval + ", keepAlive=" + keepAliveInterval + ", queue=" + subscriberQueue
                + ", maxBody=" + publishMaxBody + ", maxTopicLength=" + topicMaxLength + ", history=" + history
                + ", overflow=" + overflow + "/" + overflowGrace + ", streamMaxTopics=" + streamMaxTopics
                + ", streamMaxLifetime=" + streamMaxLifetime + ", streamProbe=" + streamProbe + "@" + streamProbeRate + "/s" + ", streamBuffer=" + (streamBuffer == STREAM_BUFFER_AUTO ? "auto" : streamBuffer)
                + ", maxBatch=" + publishMaxBatch
                + ", backplane=" + backplane + ", redis=" + redisUri.replaceAll("//[^@/]*@", "//***@")
                + ", mercure=" + (mercureEnabled ? mercure : "off") + ", writerThreads=" + writerThreads
                + ", metrics=" + metricsEnabled + ", log=" + logFormat + (accessLog ? "" : " (no access log)") + ", shutdownRetry=" + shutdownRetry
                + "+" + shutdownRetryJitter + ", shutdownTimeout=" + shutdownTimeout + ", access=" + access
                + ", streamsMax=" + streamsMax + ", streamsGrace=" + streamsGrace + ", streamsPerClient=" + streamsPerClient + ", topicsMax=" + topicsMax
                + ", topicsPerClient=" + topicsPerClient + ", publishMinRate=" + publishMinRate + "/s"
                + ", publishBodyTimeout=" + publishBodyTimeout + ", publishRate=" + publishRate + "/s+" + publishBurst
                + ", trustedProxies=" + trustedProxies
                + ", redisPing=" + redisPing + ", idempotency=" + idempotencyKeys + "/" + idempotencyTtl + "]";
    }

    /** Where raw values come from; each function returns {@code null} for an absent key. */
    public record Sources(UnaryOperator<String> contextParams, UnaryOperator<String> systemProperties,
                          UnaryOperator<String> environment) {

        public static Sources of(UnaryOperator<String> contextParams) {
            return new Sources(contextParams, System::getProperty, System::getenv);
        }

        /** The value: a secret's file first (its {@code *.file} setting), then the environment, then the rest. */
        String raw(Setting setting) {
            String file = setting.fileVariant() == null ? null : lookup(setting.fileVariant());
            if (file != null) {
                try {
                    return SecretFile.read(Path.of(file)).value();
                } catch (UncheckedIOException | IllegalArgumentException e) {
                    throw new ConfigException(setting.fileVariant(), file, "a readable, non-empty file holding "
                            + setting.key());
                }
            }
            String value = lookup(setting);
            return value == null ? setting.defaultValue() : value;
        }

        /** What is set for a key, trimmed, or {@code null}. */
        String lookup(Setting setting) {
            String value = environment.apply(setting.envName());
            if (value == null) {
                value = systemProperties.apply(setting.key());
            }
            if (value == null) {
                value = contextParams.apply(setting.key());
            }
            return value == null || value.isBlank() ? null : value.trim();
        }

        /**
         * The secrets given as Java system properties: some containers log every {@code -D} option
         * at start-up (Tomcat's {@code VersionLoggerListener}), so the secret ends up in a log file.
         */
        public List<Setting> secretsInSystemProperties() {
            List<Setting> found = new ArrayList<>();
            for (Setting setting : Setting.values()) {
                String value = systemProperties.apply(setting.key());
                if (setting.isSecret() && value != null && !value.isBlank()) {
                    found.add(setting);
                }
            }
            return found;
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
                duration(sources, Setting.STREAM_PROBE),
                integer(sources, Setting.STREAM_PROBE_RATE, 0, 100_000_000),
                streamBuffer(sources, Setting.STREAM_BUFFER),
                integer(sources, Setting.PUBLISH_MAX_BATCH, 1, 100_000),
                oneOf(sources, Setting.BACKPLANE, "local", "local", "redis", "redis"),
                redisUri(sources, Setting.REDIS_URI),
                mercure(sources),
                bool(sources, Setting.MERCURE_ENABLED),
                writerThreads(sources),
                bool(sources, Setting.METRICS_ENABLED),
                logFormat(sources, Setting.LOG_FORMAT),
                bool(sources, Setting.LOG_ACCESS),
                duration(sources, Setting.SHUTDOWN_RETRY),
                duration(sources, Setting.SHUTDOWN_RETRY_JITTER),
                duration(sources, Setting.SHUTDOWN_TIMEOUT),
                access(sources),
                integer(sources, Setting.STREAMS_MAX, 1, 10_000_000),
                duration(sources, Setting.STREAMS_GRACE),
                integer(sources, Setting.STREAMS_PER_CLIENT, 0, 10_000_000),
                integer(sources, Setting.TOPICS_MAX, 1, 100_000_000),
                size(sources, Setting.PUBLISH_MIN_RATE, 0, Integer.MAX_VALUE),
                positive(duration(sources, Setting.PUBLISH_BODY_TIMEOUT), Setting.PUBLISH_BODY_TIMEOUT),
                integer(sources, Setting.PUBLISH_RATE, 0, 10_000_000),
                integer(sources, Setting.PUBLISH_BURST, 1, 10_000_000),
                integer(sources, Setting.TOPICS_PER_CLIENT, 0, 100_000_000),
                parsed(sources, Setting.PROXIES_TRUSTED, ClientAddress::trusting),
                positive(duration(sources, Setting.REDIS_PING), Setting.REDIS_PING),
                positive(duration(sources, Setting.PUBLISH_IDEMPOTENCY_TTL), Setting.PUBLISH_IDEMPOTENCY_TTL),
                integer(sources, Setting.PUBLISH_IDEMPOTENCY_KEYS, 1, 100_000_000));
    }

    private static Access access(Sources sources) {
        return new Access(
                parsed(sources, Setting.PUBLISH_AUTH, AccessPolicy.Method::parse),
                parsed(sources, Setting.SUBSCRIBE_AUTH, AccessPolicy.Method::parse),
                parsed(sources, Setting.SUBSCRIBE_PUBLIC, TopicPatterns::parse),
                sources.raw(Setting.APIKEYS),
                sources.raw(Setting.APIKEYS_FILE),
                new Secret(sources.raw(Setting.JWT_SECRET)),
                sources.raw(Setting.JWT_SECRET_FILE),
                sources.raw(Setting.JWT_PUBLIC_KEY),
                sources.raw(Setting.JWT_JWKS),
                sources.raw(Setting.JWT_ISSUER),
                sources.raw(Setting.JWT_AUDIENCE),
                duration(sources, Setting.JWT_LEEWAY),
                integer(sources, Setting.JWT_MAX_PATTERNS, 1, 100_000),
                parsed(sources, Setting.CORS_ORIGINS, CorsPolicy::parse),
                word(sources, Setting.OPS_ACCESS, "auto", "open", "guarded"),
                sources.raw(Setting.OPS_APIKEYS));
    }

    /** A value read by {@code parser}, whose IllegalArgumentException message says what was expected. */
    private static <T> T parsed(Sources sources, Setting setting, Function<String, T> parser) {
        String raw = sources.raw(setting);
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting, raw, e.getMessage());
        }
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

    /**
     * Mercure's keys; without one of its own, the publisher key is {@code ssehub.jwt.secret}
     * (HMAC), else the PEM file of {@code ssehub.jwt.publicKey}, as the issue of shared JWT
     * machinery asks: one set of keys verifies both front ends' tokens.
     */
    private static MercureSettings mercure(Sources sources) {
        String key = sources.raw(Setting.MERCURE_PUBLISHER_KEY);
        String file = sources.raw(Setting.MERCURE_PUBLISHER_KEY_FILE);
        String fallbackAlgorithm = "HS256";
        if (key.isEmpty() && !sources.raw(Setting.JWT_SECRET).isEmpty()) {
            key = sources.raw(Setting.JWT_SECRET);
            file = sources.raw(Setting.JWT_SECRET_FILE);
        } else if (key.isEmpty() && !sources.raw(Setting.JWT_PUBLIC_KEY).isEmpty()) {
            key = readPem(sources, Setting.JWT_PUBLIC_KEY);
            fallbackAlgorithm = "RS256";
        }
        MercureSettings.Key publisher = new MercureSettings.Key(key,
                algorithm(sources, Setting.MERCURE_PUBLISHER_ALG, fallbackAlgorithm), file);
        String subscriberKey = sources.raw(Setting.MERCURE_SUBSCRIBER_KEY);
        MercureSettings.Key subscriber = new MercureSettings.Key(
                subscriberKey.isEmpty() ? publisher.key() : subscriberKey,
                algorithm(sources, Setting.MERCURE_SUBSCRIBER_ALG, publisher.algorithm()),
                subscriberKey.isEmpty() ? publisher.file() : sources.raw(Setting.MERCURE_SUBSCRIBER_KEY_FILE));
        boolean anonymous = bool(sources, Setting.MERCURE_ANONYMOUS);
        boolean readersNeedCredentials = !anonymous || !sources.raw(Setting.SUBSCRIBE_AUTH).equalsIgnoreCase("none");
        boolean requireExp = sources.raw(Setting.MERCURE_REQUIRE_EXP).equalsIgnoreCase("auto")
                ? readersNeedCredentials : bool(sources, Setting.MERCURE_REQUIRE_EXP);
        return new MercureSettings(anonymous, bool(sources, Setting.MERCURE_SUBSCRIPTIONS),
                integer(sources, Setting.MERCURE_MAX_TOPICS, 1, 10_000),
                integer(sources, Setting.MERCURE_MAX_TOPIC_LENGTH, 1, 100_000),
                integer(sources, Setting.MERCURE_MAX_SELECTORS, 1, 100_000),
                publisher, subscriber, requireExp);
    }

    private static String readPem(Sources sources, Setting setting) {
        String path = sources.raw(setting);
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(path));
        } catch (java.io.IOException | RuntimeException e) {
            throw new ConfigException(setting, path, "a readable PEM file");
        }
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
        if (!raw.matches("(redis|rediss|redis-sentinel|rediss-sentinel|redis-cluster|rediss-cluster|redis-socket)://.+")) {
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

    /** One of the words, in any case, given in lower case. */
    private static String word(Sources sources, Setting setting, String... words) {
        String raw = sources.raw(setting);
        String word = raw.toLowerCase(Locale.ROOT);
        if (!List.of(words).contains(word)) {
            throw new ConfigException(setting, raw, String.join(", ", words));
        }
        return word;
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

    /** {@link #STREAM_BUFFER_AUTO} for {@code auto}, else a size up to 1 MiB. */
    private static int streamBuffer(Sources sources, Setting setting) {
        if (isAuto(sources, setting)) {
            return STREAM_BUFFER_AUTO;
        }
        return (int) size(sources, setting, 0, 1024 * 1024);
    }

    private static int writerThreads(Sources sources) {
        if (isAuto(sources, Setting.WRITER_THREADS)) {
            return autoWriterThreads(Runtime.getRuntime().availableProcessors());
        }
        return integer(sources, Setting.WRITER_THREADS, 1, 256);
    }

    /**
     * Half the processors, at least one. Writer threads that can take every core starve the
     * container's threads when publishers go flat out: the publishes get through slower, and the
     * same CPU makes fewer deliveries. On 2 cores one writer made 1.5 to 2.1 times the deliveries a
     * second of two, on every container, with the same end-to-end latency within the runs' spread
     * (bench/RESULTS.md, 2026-12-05).
     */
    static int autoWriterThreads(int processors) {
        return Math.max(1, processors / 2);
    }

    /** Whether the setting is {@code auto}, in any case. */
    private static boolean isAuto(Sources sources, Setting setting) {
        return sources.raw(setting).toLowerCase(Locale.ROOT).equals("auto");
    }
}
