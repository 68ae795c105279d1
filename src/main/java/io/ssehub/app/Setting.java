package io.ssehub.app;

import java.util.Locale;

/**
 * Every configuration key, its default and its meaning. The table in {@code docs/configuration.md}
 * and the context-params of {@code web.xml} are checked against this list by tests, whose failure
 * prints what to write there.
 */
public enum Setting {
    TICK_INTERVAL("ssehub.tick.interval", "5s",
            "How often `tick at 3:04PM` is published on topic `system`; `0` disables it."),
    KEEPALIVE_INTERVAL("ssehub.keepalive.interval", "15s",
            "How often a quiet stream gets a `:` comment frame, which keeps proxies open and finds dead peers."),
    SUBSCRIBER_QUEUE("ssehub.subscriber.queue", "256",
            "Frames a subscriber may have waiting (a bound, not an allocation: an idle stream holds none); sized so that a reconnect storm's replay-plus-live burst fits. When full, further frames are dropped from it and counted; its stream then sends them from the topic's history if history still holds them all (one node), and otherwise reports them in-band by a `reset` event before the next frame it gets."),
    PUBLISH_MAX_BODY("ssehub.publish.maxBody", "64KiB",
            "Largest publish body (`POST /publish`, Mercure's `POST`); larger bodies get 413, chunked ones too, and are never buffered."),
    PUBLISH_MIN_RATE("ssehub.publish.minRate", "1KiB",
            "Slowest average rate, per second, at which a publish body may arrive once it has taken more than a second; a slower one gets 408 and its connection is closed. No container thread waits while a body arrives. `0` checks only `ssehub.publish.bodyTimeout`."),
    PUBLISH_BODY_TIMEOUT("ssehub.publish.bodyTimeout", "30s",
            "Longest a publish body may take to arrive in full; then 408 and the connection is closed."),
    PUBLISH_RATE("ssehub.publish.rate", "0",
            "Publishes (a batch is one) per second one publisher may make over time, counted by its credential (an API key, a token's issuer and subject), or by client address when it has none; the next gets 429 with `Retry-After`. `0` is no limit."),
    PUBLISH_BURST("ssehub.publish.burst", "20",
            "With `ssehub.publish.rate`: publishes a publisher may make at once after a pause."),
    TOPIC_MAX_LENGTH("ssehub.topic.maxLength", "200",
            "Longest topic name, in characters."),
    HISTORY_SIZE("ssehub.history.size", "5000",
            "Events each topic keeps for clients that resume with `Last-Event-ID`, and to send a slow subscriber what its full queue dropped; `0` keeps none. Sized for a reconnect storm: 100 s of a topic publishing 50 events a second (`ssehub.history.maxBytes` bounds all topics together)."),
    HISTORY_MAX_AGE("ssehub.history.maxAge", "10m",
            "How long a kept event stays resumable."),
    HISTORY_MAX_BYTES("ssehub.history.maxBytes", "64MiB",
            "Heap that kept events may hold over all topics together, counted as the JVM lays them out (the frame, the message and its strings, the multi-topic frame, the entries); the oldest events go first."),
    OVERFLOW("ssehub.overflow", "drop",
            "A subscriber whose queue is full: `drop` drops the frame from its queue and counts it, then sends the run from history while history holds all of it (one node), or tells it with a `reset` event naming the run it lost; `disconnect` closes its stream once it has written what it had queued, so it resumes from history."),
    OVERFLOW_GRACE("ssehub.overflow.grace", "5s",
            "With `disconnect`: how long an overflowed stream may take to write what it had queued before it is cut."),
    STREAM_MAX_TOPICS("ssehub.stream.maxTopics", "32",
            "Topics one `GET /events?topic=...` stream may name."),
    STREAM_MAX_LIFETIME("ssehub.stream.maxLifetime", "0",
            "Streams older than this are closed, with a jittered `retry:` hint (clients reconnect and resume by id), which spreads them again over nodes behind a load balancer; `0` keeps them open."),
    STREAM_PROBE("ssehub.stream.probe", "500ms",
            "How often a stream with nothing to send writes an empty comment line, so that a client that closed its connection is released at the second one (a bodyless `GET` shows no container its client's FIN until something is written); `0` leaves that to the keep-alives."),
    STREAM_PROBE_RATE("ssehub.stream.probeRate", "4000",
            "The most probes (`ssehub.stream.probe`) the node writes a second. With more quiet streams than that in an interval, each is probed in turn, less often: at the default, up to 2,000 quiet streams are probed every 500 ms, and 10,000 every 2.5 s, so a client that closed its connection is released within 5 s (each probe is a write: 10,000 idle streams probed every 500 ms took a quarter of a core). Streams that open spend the same budget, one write each, so probes yield while the node is busy opening streams (a deploy, a reconnect storm) and catch up after. While more streams are open than `ssehub.streams.max` (a reconnect storm at the limit) every quiet stream is probed each interval, so the storm's ghosts go within `ssehub.streams.grace`. `0` for no limit."),
    STREAM_BUFFER("ssehub.stream.buffer", "auto",
            "The response buffer each stream asks its container for. `auto` asks for what suits the container: 32 KiB on Jetty, which holds no buffer per stream (a stream writes through its `write(ByteBuffer)`) and sends a larger batch in pieces of this size; none on Undertow, which allocates exactly the size asked for per stream, for the stream's life, and writes larger batches straight through; elsewhere the container's own (Tomcat never goes below 8 KiB). A size (`0` to `1MiB`) is asked for on every container."),
    PUBLISH_MAX_BATCH("ssehub.publish.maxBatch", "100",
            "Messages one `POST /publish` array may carry."),
    PUBLISH_IDEMPOTENCY_TTL("ssehub.publish.idempotencyTtl", "10m",
            "How long an `Idempotency-Key` of `POST /publish` is remembered: a repeat within it publishes nothing and gets the first publish's ids (with `redis`, in Redis, for every node)."),
    PUBLISH_IDEMPOTENCY_KEYS("ssehub.publish.idempotencyKeys", "100000",
            "With `local`: the most idempotency keys this node remembers; the oldest are forgotten first. With `redis` Redis keeps them, each for `ssehub.publish.idempotencyTtl`."),
    BACKPLANE("ssehub.backplane", "local",
            "`local`: this node alone, in memory. `redis`: nodes share topics, ids and history through Redis."),
    REDIS_URI("ssehub.redis.uri", "redis://127.0.0.1:6379/0",
            "With `redis`: where Redis is (`rediss://` for TLS, `redis://:password@host:port/db`, `redis-sentinel://...`, or a Redis Cluster's seed nodes `redis-cluster://host:port,host:port`)."),
    REDIS_URI_FILE("ssehub.redis.uri.file", "",
            "A file holding `ssehub.redis.uri` (a URI with a password is a secret); read at start."),
    REDIS_PING("ssehub.redis.ping", "1s",
            "With `redis`: how often the node pings its pub/sub connection. A ping unanswered within 2 s (a half-open connection, a stopped Redis) is an outage: `/readyz` answers 503 and live events wait until the node has replayed the gap from Redis."),
    MERCURE_ENABLED("ssehub.mercure.enabled", "true",
            "Serve the Mercure protocol at `/.well-known/mercure`."),
    MERCURE_ANONYMOUS("ssehub.mercure.anonymous", "true",
            "Whether Mercure subscribers without a token get public updates."),
    MERCURE_PUBLISHER_KEY("ssehub.mercure.publisherJwtKey", "",
            "The key that verifies Mercure publisher tokens: an HMAC secret, or a PEM public key; empty: `ssehub.jwt.secret`, else the PEM file of `ssehub.jwt.publicKey`; with none, Mercure publishing follows `ssehub.publish.auth` alone."),
    MERCURE_PUBLISHER_KEY_FILE("ssehub.mercure.publisherJwtKey.file", "",
            "A file holding `ssehub.mercure.publisherJwtKey`; an HMAC secret in it is re-read when the file changes."),
    MERCURE_PUBLISHER_ALG("ssehub.mercure.publisherJwtAlg", "",
            "Its algorithm: HS256/384/512, RS*, PS* or ES*; empty: HS256 for a secret, RS256 for a PEM key."),
    MERCURE_SUBSCRIBER_KEY("ssehub.mercure.subscriberJwtKey", "",
            "The key that verifies Mercure subscriber tokens; empty: the publisher key."),
    MERCURE_SUBSCRIBER_KEY_FILE("ssehub.mercure.subscriberJwtKey.file", "",
            "A file holding `ssehub.mercure.subscriberJwtKey`; an HMAC secret in it is re-read when the file changes."),
    MERCURE_SUBSCRIBER_ALG("ssehub.mercure.subscriberJwtAlg", "",
            "Its algorithm; empty: the publisher algorithm."),
    MERCURE_REQUIRE_EXP("ssehub.mercure.requireExp", "auto",
            "Whether tokens verified with Mercure's keys must carry `exp` (the draft does not require it); `auto`: `true` as soon as readers need credentials (`ssehub.subscribe.auth` set or `ssehub.mercure.anonymous=false`), else `false`. Tokens verified with `ssehub.jwt.*` keys always need it."),
    MERCURE_SUBSCRIPTIONS("ssehub.mercure.subscriptions", "false",
            "Serve the active-subscriptions API and publish subscription events."),
    MERCURE_MAX_TOPICS("ssehub.mercure.maxTopics", "32",
            "Topic selectors one Mercure subscribe, or topics one publish, may name."),
    MERCURE_MAX_TOPIC_LENGTH("ssehub.mercure.maxTopicLength", "2048",
            "Longest Mercure topic or selector, in characters."),
    MERCURE_MAX_SELECTORS("ssehub.mercure.maxSelectors", "1000",
            "Topic selectors one Mercure token may carry."),
    WRITER_THREADS("ssehub.writer.threads", "auto",
            "Threads that drain queues onto sockets, each serving its share of the streams; `auto` is half the available processors, at least one: the other half is left to the container's threads, which take the publishes and open the streams."),
    METRICS_ENABLED("ssehub.metrics.enabled", "true",
            "Counts what the hub does and serves it at `GET /metrics` in the Prometheus text format; `false` turns both off (`/metrics` is then 404)."),
    LOG_FORMAT("ssehub.log.format", "text",
            "`text`: one readable line per log event; `json`: one JSON object per line (logback's `JsonEncoder`) for log shippers."),
    LOG_ACCESS("ssehub.log.access", "true",
            "`true`: one access-log line per request on the logger `io.ssehub.access` (method, path, status, duration; never the query), and a line when a stream opens and when it closes; `false` turns all of them off, as nginx's `access_log off` does."),
    SHUTDOWN_RETRY("ssehub.shutdown.retry", "1s",
            "When the server ends streams itself (shutdown or undeploy, a backplane resync, `ssehub.stream.maxLifetime`), each gets a last `retry:` hint of at least this long before it is closed, so its client waits before reconnecting."),
    SHUTDOWN_RETRY_JITTER("ssehub.shutdown.retryJitter", "4s",
            "A random extra of up to this much is added to each stream's `retry:` hint, so clients do not all reconnect at once."),
    SHUTDOWN_TIMEOUT("ssehub.shutdown.timeout", "5s",
            "How long shutdown waits for publishes in flight to finish, and then for streams to write their last frames, before it closes what is left."),
    EMBEDDED_PREFIX("ssehub.embedded.prefix", "/ssehub",
            "Only with the embedding jar or the Spring Boot integration inside another web application: the path under that application's context where the hub is mounted. The WAR ignores it."),
    PORT("ssehub.port", "8080",
            "Only with `java -jar ssehub.war`: the TCP port to listen on, from the environment (`SSEHUB_PORT`, else the platform's `PORT`) or a `-D` option; `0` takes a free port. A container deploying the WAR ignores it."),
    BIND("ssehub.bind", "0.0.0.0",
            "Only with `java -jar ssehub.war`: the address to listen on, e.g. `127.0.0.1` for this machine only; `0.0.0.0` is every interface. A container deploying the WAR ignores it."),
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
            "HMAC secret (at least 32 bytes) for HS256, HS384 and HS512 tokens. Prefer `ssehub.jwt.secret.file` or the environment to a `-D` option, which Tomcat logs at start-up."),
    JWT_SECRET_FILE("ssehub.jwt.secret.file", "",
            "A file holding `ssehub.jwt.secret` (surrounding whitespace ignored); re-read when it changes, so the secret can be rotated without a restart."),
    JWT_PUBLIC_KEY("ssehub.jwt.publicKey", "",
            "PEM file with the public key (or certificate) for RS*, PS*, ES* or EdDSA (Ed25519) tokens."),
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
    OPS_ACCESS("ssehub.ops.access", "auto",
            "Who may read `GET /topics/{topic}`, `GET /metrics` and the counts of `/healthz`: `open`, anyone; `guarded`, a credential with an `admin` grant (a key of `ssehub.ops.apikeys`, or a token with `\"ssehub\": {\"admin\": true}`); `auto`, open while no credential is asked for anywhere and guarded as soon as one is."),
    OPS_APIKEYS("ssehub.ops.apikeys", "",
            "Comma-separated SHA-256 hex digests of keys that open the operational endpoints and nothing else, e.g. for a metrics scraper's `Authorization: Bearer`."),
    CORS_ORIGINS("ssehub.cors.origins", "",
            "Origins whose pages may call ssehub from a browser, e.g. `https://app.example.com`; empty is same-origin only; `*` is any origin, without credentials."),
    STREAMS_MAX("ssehub.streams.max", "10000",
            "Open streams this node accepts; past it, a stream opens for a grace (`ssehub.streams.grace`) while there is room, else gets 503 with `Retry-After`."),
    STREAMS_GRACE("ssehub.streams.grace", "3s",
            "How long a stream may stay open over `ssehub.streams.max` instead of getting 503: in a reconnect storm clients come back before the node has noticed that their previous connections are gone (within about a second, `ssehub.stream.probe`), and a 503 would stop an `EventSource` for good. What is still over the limit when the grace ends is closed, newest first, with a jittered `retry:` (its clients resume by id). At most as many again as `ssehub.streams.max` open this way (a storm at the limit brings back a client for every ghost: size memory for twice the limit for a few seconds); `0` refuses at once."),
    STREAMS_PER_CLIENT("ssehub.streams.perClient", "100",
            "Open streams one client address may hold; the next gets 429; `0` is no limit. See [Limits](security.md#limits) for why 100 and when to raise it."),
    TOPICS_MAX("ssehub.topics.max", "100000",
            "Distinct topics (with subscribers or history) this node keeps; a publish or stream that would add one more gets 503."),
    TOPICS_PER_CLIENT("ssehub.topics.perClient", "1000",
            "Of the topics this node keeps, how many one client address may have created (by the first stream or publish that named them); a request that would create more gets 429. `0` is no limit."),
    PROXIES_TRUSTED("ssehub.proxies.trusted", "",
            "Addresses and CIDR blocks of the proxies in front of ssehub (`10.0.0.0/8,::1`) whose `Forwarded` or `X-Forwarded-For` names the client for every per-client limit; empty trusts none, and every request is judged by its peer address.");

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

    /** Whether the value must never appear in a log line or an error message, nor on a command line. */
    public boolean isSecret() {
        return fileVariant() != null;
    }

    /** The setting that names a file holding this secret's value, or {@code null} for a setting that is no secret. */
    public Setting fileVariant() {
        return switch (this) {
            case JWT_SECRET -> JWT_SECRET_FILE;
            case MERCURE_PUBLISHER_KEY -> MERCURE_PUBLISHER_KEY_FILE;
            case MERCURE_SUBSCRIBER_KEY -> MERCURE_SUBSCRIBER_KEY_FILE;
            case REDIS_URI -> REDIS_URI_FILE;
            default -> null;
        };
    }

    public String description() {
        return description;
    }
}
