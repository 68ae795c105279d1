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
    HISTORY_SIZE("ssehub.history.size", "1000",
            "Events each topic keeps for clients that resume with `Last-Event-ID`; `0` keeps none."),
    HISTORY_MAX_AGE("ssehub.history.maxAge", "10m",
            "How long a kept event stays resumable."),
    HISTORY_MAX_BYTES("ssehub.history.maxBytes", "64MiB",
            "Encoded bytes kept over all topics together; the oldest events go first."),
    OVERFLOW("ssehub.overflow", "drop",
            "A subscriber whose queue is full: `drop` drops the frame for it and counts it; `disconnect` closes its stream once it has written what it had queued, so it resumes from history."),
    OVERFLOW_GRACE("ssehub.overflow.grace", "5s",
            "With `disconnect`: how long an overflowed stream may take to write what it had queued before it is cut."),
    STREAM_MAX_TOPICS("ssehub.stream.maxTopics", "32",
            "Topics one `GET /events?topic=...` stream may name."),
    STREAM_MAX_LIFETIME("ssehub.stream.maxLifetime", "0",
            "Streams older than this are closed (clients reconnect and resume by id), which spreads them again over nodes behind a load balancer; `0` keeps them open."),
    PUBLISH_MAX_BATCH("ssehub.publish.maxBatch", "100",
            "Messages one `POST /publish` array may carry."),
    WRITER_THREADS("ssehub.writer.threads", "auto",
            "Threads that drain queues onto sockets; `auto` is one per available processor."),
    PUBLISH_AUTH("ssehub.publish.auth", "none",
            "What a publisher must present: `none`, `apikey`, `jwt` or `apikey,jwt`."),
    SUBSCRIBE_AUTH("ssehub.subscribe.auth", "none",
            "What a subscriber must present for a topic that is not public: `none`, `apikey`, `jwt` or `apikey,jwt`."),
    SUBSCRIBE_PUBLIC("ssehub.subscribe.public", "",
            "Topic patterns anyone may subscribe to when `ssehub.subscribe.auth` is set, e.g. `system,public.*`."),
    APIKEYS("ssehub.apikeys", "",
            "Comma-separated SHA-256 hex digests of the accepted API keys (never the keys themselves)."),
    APIKEYS_FILE("ssehub.apikeys.file", "",
            "A file of API key digests, one per line, each optionally followed by the topic patterns it is limited to; reloaded when it changes."),
    JWT_SECRET("ssehub.jwt.secret", "",
            "HMAC secret (at least 32 bytes) for HS256, HS384 and HS512 tokens."),
    JWT_PUBLIC_KEY("ssehub.jwt.publicKey", "",
            "PEM file with the public key (or certificate) for RS*, PS* or ES* tokens."),
    JWT_JWKS("ssehub.jwt.jwks", "",
            "JWKS file path or `https://` URL with the token verification keys; cached for 5 minutes and fetched again for an unknown key id."),
    JWT_ISSUER("ssehub.jwt.issuer", "",
            "The `iss` every token must carry; empty accepts any."),
    JWT_AUDIENCE("ssehub.jwt.audience", "",
            "A value the `aud` of every token must contain; empty accepts any."),
    JWT_LEEWAY("ssehub.jwt.leeway", "30s",
            "Clock skew tolerated on `exp` and `nbf`."),
    JWT_MAX_PATTERNS("ssehub.jwt.maxPatterns", "1000",
            "Most topic patterns one token may carry; a token with more is refused."),
    CORS_ORIGINS("ssehub.cors.origins", "",
            "Origins whose pages may call ssehub from a browser, e.g. `https://app.example.com`; empty is same-origin only; `*` is any origin, without credentials."),
    STREAMS_MAX("ssehub.streams.max", "10000",
            "Open streams this node accepts; the next gets 503 with `Retry-After`."),
    STREAMS_PER_CLIENT("ssehub.streams.perClient", "0",
            "Open streams one client address may hold; the next gets 429; `0` is no limit."),
    TOPICS_MAX("ssehub.topics.max", "100000",
            "Distinct topics (with subscribers or history) this node keeps; a publish or stream that would add one more gets 503.");

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

    /** Whether the value must never appear in a log line or an error message. */
    public boolean isSecret() {
        return this == JWT_SECRET;
    }

    public String description() {
        return description;
    }
}
