package io.ssehub.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {

    private static Config load(Map<String, String> params, Map<String, String> props, Map<String, String> env) {
        return Config.load(new Config.Sources(params::get, props::get, env::get));
    }

    @Test
    void defaultsMatchTheSeed() {
        Config c = Config.defaults();
        assertEquals(Duration.ofSeconds(5), c.tickInterval());
        assertEquals(Duration.ofSeconds(15), c.keepAliveInterval());
        assertEquals(256, c.subscriberQueue()); // not the seed's 16: a reconnect storm's burst must fit (README, slow subscribers)
        assertEquals(Duration.ofMillis(500), c.streamProbe());
        assertEquals(64 * 1024, c.publishMaxBody());
        assertEquals(200, c.topicMaxLength());
        assertEquals(Config.autoWriterThreads(Runtime.getRuntime().availableProcessors()), c.writerThreads());
        assertTrue(c.metricsEnabled());
        assertEquals(LogFormat.TEXT, c.logFormat());
        assertTrue(c.accessLog());
        assertEquals(Duration.ofSeconds(1), c.shutdownRetry());
        assertEquals(Duration.ofSeconds(4), c.shutdownRetryJitter());
        assertEquals(Duration.ofSeconds(5), c.shutdownTimeout());
        assertEquals(Config.STREAM_BUFFER_AUTO, c.streamBuffer());
    }

    @Test
    void autoWriterThreadsLeaveHalfTheProcessorsToTheContainer() {
        assertEquals(1, Config.autoWriterThreads(1));
        assertEquals(1, Config.autoWriterThreads(2));
        assertEquals(1, Config.autoWriterThreads(3));
        assertEquals(2, Config.autoWriterThreads(4));
        assertEquals(8, Config.autoWriterThreads(16));
    }

    @Test
    void streamBufferTakesAutoOrSizesFromNoneToOneMebibyte() {
        assertEquals(Config.STREAM_BUFFER_AUTO, load(Map.of("ssehub.stream.buffer", "Auto"), Map.of(), Map.of()).streamBuffer());
        assertEquals(0, load(Map.of("ssehub.stream.buffer", "0"), Map.of(), Map.of()).streamBuffer());
        assertEquals(16384, load(Map.of("ssehub.stream.buffer", "16KiB"), Map.of(), Map.of()).streamBuffer());
        for (String bad : List.of("-1", "2MiB", "lots")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> load(Map.of("ssehub.stream.buffer", bad), Map.of(), Map.of()));
            assertTrue(e.getMessage().contains("ssehub.stream.buffer"), e.getMessage());
        }
    }

    @Test
    void operationsKeysParse() {
        Config c = load(Map.of("ssehub.metrics.enabled", "FALSE", "ssehub.log.format", "json",
                "ssehub.shutdown.retryJitter", "0", "ssehub.log.access", "false"), Map.of(), Map.of());
        assertEquals(false, c.accessLog());
        assertEquals(false, c.metricsEnabled());
        assertEquals(LogFormat.JSON, c.logFormat());
        assertEquals(Duration.ZERO, c.shutdownRetryJitter());
        ConfigException e = assertThrows(ConfigException.class,
                () -> load(Map.of("ssehub.metrics.enabled", "yes"), Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("ssehub.metrics.enabled"), e.getMessage());
    }

    @Test
    void environmentBeatsSystemPropertyBeatsContextParam() {
        Map<String, String> params = Map.of("ssehub.subscriber.queue", "10", "ssehub.topic.maxLength", "10",
                "ssehub.tick.interval", "10s");
        Map<String, String> props = Map.of("ssehub.subscriber.queue", "20", "ssehub.topic.maxLength", "20");
        Map<String, String> env = Map.of("SSEHUB_SUBSCRIBER_QUEUE", "30");
        Config c = load(params, props, env);
        assertEquals(30, c.subscriberQueue());
        assertEquals(20, c.topicMaxLength());
        assertEquals(Duration.ofSeconds(10), c.tickInterval());
    }

    @Test
    void durationsAndSizesTakeUnits() {
        Config c = load(Map.of("ssehub.tick.interval", "250ms", "ssehub.keepalive.interval", "2m",
                "ssehub.publish.maxBody", "1MiB", "ssehub.writer.threads", "3"), Map.of(), Map.of());
        assertEquals(Duration.ofMillis(250), c.tickInterval());
        assertEquals(Duration.ofMinutes(2), c.keepAliveInterval());
        assertEquals(1024 * 1024, c.publishMaxBody());
        assertEquals(3, c.writerThreads());
        assertEquals(Duration.ZERO, load(Map.of("ssehub.tick.interval", "0"), Map.of(), Map.of()).tickInterval());
    }

    @Test
    void invalidValuesNameTheKey() {
        Map<String, String> bad = Map.of(
                "ssehub.tick.interval", "soon",
                "ssehub.keepalive.interval", "0",
                "ssehub.subscriber.queue", "0",
                "ssehub.publish.maxBody", "64KB",
                "ssehub.topic.maxLength", "-1",
                "ssehub.writer.threads", "many");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> load(Map.of(e.getKey(), e.getValue()), Map.of(), Map.of()), e.getKey());
            assertTrue(error.getMessage().contains(e.getKey()), error.getMessage());
        }
    }

    @Test
    void aRedisUriNamesOneServerASentinelOrAClusterAndNothingElse() {
        for (String uri : List.of("redis://h:6379/0", "rediss://:secret@h:6379", "redis-sentinel://h:26379/0#master",
                "redis-cluster://a:7000,b:7001", "rediss-cluster://:secret@a:7000,b:7001")) {
            assertEquals(uri, load(Map.of("ssehub.redis.uri", uri), Map.of(), Map.of()).redisUri());
        }
        for (String bad : List.of("a:7000,b:7001", "cluster://a:7000", "http://a:7000", "redis-cluster://")) {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> load(Map.of("ssehub.redis.uri", bad), Map.of(), Map.of()), bad);
            assertTrue(error.getMessage().contains("ssehub.redis.uri"), error.getMessage());
        }
    }

    @Test
    void environmentNamesAreDerivedFromKeys() {
        assertEquals("SSEHUB_TICK_INTERVAL", Setting.TICK_INTERVAL.envName());
        assertEquals("SSEHUB_PUBLISH_MAXBODY", Setting.PUBLISH_MAX_BODY.envName());
    }

    @Test
    void mercureUsesTheSharedJwtSecretUnlessItHasAKeyOfItsOwn() {
        String secret = "a shared secret of at least thirty-two bytes";
        Config shared = load(Map.of("ssehub.jwt.secret", secret), Map.of(), Map.of());
        assertEquals(secret, shared.mercure().publisher().key());
        assertEquals("HS256", shared.mercure().publisher().algorithm());
        assertEquals(secret, shared.mercure().subscriber().key());
        Config own = load(Map.of("ssehub.jwt.secret", secret, "ssehub.mercure.publisherJwtKey", "mercure's own key of 32 bytes!!!",
                "ssehub.mercure.publisherJwtAlg", "HS512"), Map.of(), Map.of());
        assertEquals("mercure's own key of 32 bytes!!!", own.mercure().publisher().key());
        assertEquals("HS512", own.mercure().subscriber().algorithm());
        assertTrue(!own.toString().contains("mercure's own key"), "never logged");
    }
}
