package io.ssehub.app;

import java.util.Locale;

/**
 * Every configuration key, its default and its meaning. The README's configuration table and the
 * context-params of {@code web.xml} are checked against this list by tests.
 */
public enum Setting {
    TICK_INTERVAL("ssehub.tick.interval", "5s",
            "How often `tick at 3:04PM` is published on topic `system`; `0` disables it."),
    KEEPALIVE_INTERVAL("ssehub.keepalive.interval", "15s",
            "How often a quiet stream gets a `:` comment frame, which keeps proxies open and finds dead peers."),
    SUBSCRIBER_QUEUE("ssehub.subscriber.queue", "16",
            "Frames a subscriber may have waiting; when full, further frames are dropped for it and counted."),
    PUBLISH_MAX_BODY("ssehub.publish.maxBody", "64KiB",
            "Largest `POST /publish` body; larger bodies get 413 and are never buffered."),
    TOPIC_MAX_LENGTH("ssehub.topic.maxLength", "200",
            "Longest topic name, in characters."),
    WRITER_THREADS("ssehub.writer.threads", "auto",
            "Threads that drain queues onto sockets; `auto` is one per available processor.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The key as a context-param or system property, e.g. {@code ssehub.tick.interval}. */
    public String key() {
        return key;
    }

    /** The key as an environment variable, e.g. {@code SSEHUB_TICK_INTERVAL}. */
    public String envName() {
        return key.replace('.', '_').toUpperCase(Locale.ROOT);
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
