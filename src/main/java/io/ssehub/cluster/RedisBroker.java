package io.ssehub.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.ssehub.hub.Broker;
import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscriber;
import io.ssehub.hub.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Several nodes sharing topics through Redis.
 *
 * <p>Publishing runs one script per event (one round trip; a batch is pipelined): it takes the
 * next cluster-wide id from a counter, appends the event to the topic's Redis stream (its
 * history, trimmed by count and age), and publishes it on the topic's channel. Every node
 * subscribes only to the channels of topics its own subscribers need; events arrive on its one
 * pub/sub connection in the order Redis ran the scripts, and go to its hub in that order.
 *
 * <p>Resuming reads the gap from Redis after the node has joined the topic's channel and
 * registered the subscriber, so an event is either replayed or delivered live; one that is both is
 * skipped by its id. Publishing while Redis is unreachable fails (nothing is acknowledged that other
 * nodes will not get). When the pub/sub connection comes back after a loss, this node may have
 * missed events, so {@code onResync} closes its streams and their clients resume by id.
 *
 * <p>Redis Cluster is not supported (the script touches the counter and the topic's keys, which
 * live in different slots); a single Redis, or Sentinel through a {@code redis-sentinel://} URI, is.
 */
public final class RedisBroker implements Broker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final String PREFIX = "ssehub:";
    private static final String SEQ = PREFIX + "seq";
    private static final String EPOCH = PREFIX + "epoch";
    private static final long ECHO_WAIT_MILLIS = 1_000;

    private final Hub hub;
    private final HistoryLimits history;
    private final ScheduledExecutorService scheduler;
    private final Runnable onResync;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> commands;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final Script publish = Script.load("publish.lua");
    private final Script resume = Script.load("resume.lua");
    private final String origin = UUID.randomUUID().toString();
    private final AtomicLong originSeq = new AtomicLong();
    private final Map<String, CompletableFuture<Integer>> echoes = new ConcurrentHashMap<>();
    private final Object joinLock = new Object();
    private final Map<String, Joined> joined = new HashMap<>();
    private volatile boolean connected = true;
    private volatile boolean lostPubSub;

    private static final class Joined {
        int count;
        CompletableFuture<Void> ready;
    }

    /**
     * Connects at once; an unreachable Redis fails the start.
     *
     * @param onResync run after the pub/sub connection came back from a loss: close local streams
     */
    public RedisBroker(Hub hub, String uri, HistoryLimits history, ScheduledExecutorService scheduler,
                       Runnable onResync) {
        this.hub = hub;
        this.history = history;
        this.scheduler = scheduler;
        this.onResync = onResync;
        this.client = RedisClient.create(RedisURI.create(uri));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        try {
            commands = client.connect();
            pubsub = client.connectPubSub();
        } catch (RuntimeException e) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot reach Redis at " + RedisURI.create(uri).toString(), e);
        }
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received(channel, message);
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                connected = true;
                if (connection == pubsub && lostPubSub) {
                    lostPubSub = false;
                    log.warn("Redis is reachable again; closing local streams so their clients resume by id");
                    onResync.run();
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                connected = false;
                if (connection == pubsub) {
                    lostPubSub = true;
                }
                log.warn("lost the connection to Redis");
            }
        });
    }

    @Override
    public boolean available() {
        return connected && commands.isOpen() && pubsub.isOpen();
    }

    // ---- publishing -------------------------------------------------------------------------

    @Override
    public CompletionStage<List<PublishResult>> submit(List<Message> messages) {
        List<CompletableFuture<PublishResult>> results = new ArrayList<>(messages.size());
        for (Message message : messages) {
            results.add(publishOne(message));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<PublishResult> publishOne(Message message) {
        String token = origin + ":" + originSeq.incrementAndGet();
        CompletableFuture<Integer> echo = new CompletableFuture<>();
        boolean listening = isJoined(message.topic());
        if (listening) {
            echoes.put(token, echo); // before sending: the echo may overtake the script's reply
        } else {
            echo.complete(0);
        }
        String topic = message.topic();
        String[] keys = {SEQ, EPOCH, stream(topic), meta(topic)};
        String[] args = {Hub.newEpoch(), message.data(), message.type() == null ? "" : message.type(),
                message.retry() == null ? "" : message.retry().toString(),
                Integer.toString(history.perTopic()), Long.toString(Math.max(1, history.maxAge().toMillis())),
                channel(topic), token};
        return publish.run(commands, keys, args).handle((reply, error) -> {
            if (error != null) {
                echoes.remove(token);
                throw new IllegalStateException("publish failed", error);
            }
            List<?> values = (List<?>) reply;
            String id = new EventId(values.get(0).toString(), ((Number) values.get(1)).longValue()).toString();
            if (listening && !echo.isDone()) {
                scheduler.schedule(() -> {
                    echoes.remove(token);
                    echo.complete(0);
                }, ECHO_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            return id;
        }).thenCombine(echo, (id, delivered) -> new PublishResult(topic, delivered, id));
    }

    /** A channel message: {@code origin \n epoch \n seq \n type \n retry \n data}; runs on Lettuce's thread. */
    private void received(String channel, String text) {
        try {
            String[] parts = text.split("\n", 6);
            String topic = channel.substring(channelPrefix().length());
            Message message = new Message(topic, parts[5], parts[3].isEmpty() ? null : parts[3],
                    parts[4].isEmpty() ? null : Long.valueOf(parts[4]));
            int delivered = hub.deliver(new EventId(parts[1], Long.parseLong(parts[2])), message);
            CompletableFuture<Integer> echo = echoes.remove(parts[0]);
            if (echo != null) {
                echo.complete(delivered);
            }
        } catch (RuntimeException e) {
            log.error("ignored a malformed message on {}", channel, e);
        }
    }

    // ---- subscribing ------------------------------------------------------------------------

    @Override
    public CompletionStage<Subscription> attach(Subscriber subscriber, StartPosition from) {
        hub.register(subscriber);
        List<String> topics = List.copyOf(new LinkedHashSet<>(subscriber.topics()));
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String topic : topics) {
            joins.add(join(topic));
        }
        Optional<EventId> requested = from instanceof StartPosition.After after ? EventId.parse(after.lastEventId()) : Optional.empty();
        long afterSeq = from instanceof StartPosition.Live ? Long.MAX_VALUE / 2
                : requested.map(EventId::seq).orElse(0L);
        return CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
                .thenCompose(joinedAll -> readHistory(topics, afterSeq))
                .thenCompose(state -> {
                    if (from instanceof StartPosition.After && afterSeq > 0
                            && requested.map(id -> !id.epoch().equals(state.epoch)).orElse(true)) {
                        return readHistory(topics, 0); // another run's id: replay everything retained
                    }
                    return CompletableFuture.completedFuture(state);
                })
                .thenApply(state -> {
                    Subscription subscription = state.subscription(from, requested).onlyWhat(subscriber);
                    List<Frame> replay = subscription.replay();
                    if (!replay.isEmpty()) {
                        subscriber.replayedThrough(replay.get(replay.size() - 1).seq());
                    }
                    return subscription;
                });
    }

    @Override
    public void detach(Subscriber subscriber) {
        hub.unsubscribe(subscriber);
        for (String topic : new LinkedHashSet<>(subscriber.topics())) {
            leave(topic);
        }
    }

    private CompletableFuture<Void> join(String topic) {
        synchronized (joinLock) {
            Joined entry = joined.computeIfAbsent(topic, t -> new Joined());
            entry.count++;
            if (entry.ready == null || entry.ready.isCompletedExceptionally()) {
                // first local subscriber, or the last attempt failed while Redis was away: try again
                entry.ready = pubsub.async().subscribe(channel(topic)).toCompletableFuture();
            }
            return entry.ready;
        }
    }

    private void leave(String topic) {
        synchronized (joinLock) {
            Joined entry = joined.get(topic);
            if (entry != null && --entry.count == 0) {
                joined.remove(topic);
                if (pubsub.isOpen()) {
                    pubsub.async().unsubscribe(channel(topic));
                }
            }
        }
    }

    private boolean isJoined(String topic) {
        synchronized (joinLock) {
            Joined entry = joined.get(topic);
            return entry != null && entry.ready.isDone() && !entry.ready.isCompletedExceptionally();
        }
    }

    /** What Redis holds for the topics after {@code afterSeq}. */
    private CompletableFuture<HistoryState> readHistory(List<String> topics, long afterSeq) {
        String[] keys = new String[2 + 2 * topics.size()];
        keys[0] = SEQ;
        keys[1] = EPOCH;
        for (int i = 0; i < topics.size(); i++) {
            keys[2 + 2 * i] = stream(topics.get(i));
            keys[3 + 2 * i] = meta(topics.get(i));
        }
        String[] args = {Long.toString(afterSeq), Long.toString(Math.max(1, history.maxAge().toMillis())),
                Integer.toString(Math.max(1, history.perTopic()))};
        return resume.run(commands, keys, args).thenApply(reply -> HistoryState.parse(hub, topics, (List<?>) reply));
    }

    /** A decoded reply of resume.lua. */
    private record HistoryState(String epoch, long current, List<Frame> retained, List<Long> trimmed,
                                List<Boolean> known) {

        static HistoryState parse(Hub hub, List<String> topics, List<?> reply) {
            String epoch = reply.get(0).toString();
            long current = ((Number) reply.get(1)).longValue();
            List<Frame> frames = new ArrayList<>();
            List<Long> trimmed = new ArrayList<>();
            List<Boolean> known = new ArrayList<>();
            for (int i = 0; i < topics.size(); i++) {
                known.add(((Number) reply.get(2 + 3 * i)).longValue() == 1);
                trimmed.add(((Number) reply.get(3 + 3 * i)).longValue());
                for (Object entry : (List<?>) reply.get(4 + 3 * i)) {
                    List<?> pair = (List<?>) entry;
                    String streamId = pair.get(0).toString();
                    List<?> fields = (List<?>) pair.get(1);
                    Map<String, String> f = new HashMap<>();
                    for (int k = 0; k + 1 < fields.size(); k += 2) {
                        f.put(fields.get(k).toString(), fields.get(k + 1).toString());
                    }
                    long seq = Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
                    Message message = new Message(topics.get(i), f.getOrDefault("d", ""),
                            f.getOrDefault("t", "").isEmpty() ? null : f.get("t"),
                            f.getOrDefault("r", "").isEmpty() ? null : Long.valueOf(f.get("r")));
                    frames.add(hub.frame(new EventId(epoch, seq), message));
                }
            }
            frames.sort(Comparator.comparingLong(Frame::seq));
            return new HistoryState(epoch, current, frames, trimmed, known);
        }

        Subscription subscription(StartPosition from, Optional<EventId> requested) {
            String position = new EventId(epoch.isEmpty() ? "none" : epoch, current).toString();
            if (from instanceof StartPosition.Live) {
                return new Subscription(null, List.of(), position);
            }
            if (from instanceof StartPosition.Earliest) {
                return new Subscription(null, retained, "earliest");
            }
            String text = ((StartPosition.After) from).lastEventId();
            boolean sameRun = requested.isPresent() && requested.get().epoch().equals(epoch);
            long after = sameRun ? requested.get().seq() : 0;
            boolean gap = !sameRun || after > current;
            for (int i = 0; i < trimmed.size() && !gap; i++) {
                gap = trimmed.get(i) > after || (!known.get(i) && after < current);
            }
            if (!gap) {
                return new Subscription(null, retained, text);
            }
            String oldest = retained.isEmpty() ? null : retained.get(0).id();
            long resetSeq = retained.isEmpty() ? current : retained.get(0).seq() - 1;
            return new Subscription(new Subscription.Reset(text, oldest), retained,
                    new EventId(epoch.isEmpty() ? "none" : epoch, resetSeq).toString());
        }
    }

    // ---- keys and scripts -------------------------------------------------------------------

    private static String stream(String topic) {
        return PREFIX + "s:" + topic;
    }

    private static String meta(String topic) {
        return PREFIX + "m:" + topic;
    }

    private static String channelPrefix() {
        return PREFIX + "c:";
    }

    private static String channel(String topic) {
        return channelPrefix() + topic;
    }

    /** A Lua script run by its digest, sent again whole if Redis lost its script cache (a restart). */
    private record Script(String source, String sha) {

        static Script load(String name) {
            try (InputStream in = RedisBroker.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("missing script " + name);
                }
                String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Script(source, sha1(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        CompletableFuture<Object> run(StatefulRedisConnection<String, String> connection, String[] keys, String[] args) {
            CompletableFuture<Object> result = new CompletableFuture<>();
            connection.async().<Object>evalsha(sha, ScriptOutputType.MULTI, keys, args).whenComplete((reply, error) -> {
                if (error instanceof RedisNoScriptException) {
                    connection.async().<Object>eval(source, ScriptOutputType.MULTI, keys, args).whenComplete((again, failed) -> {
                        if (failed != null) {
                            result.completeExceptionally(failed);
                        } else {
                            result.complete(again);
                        }
                    });
                } else if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(reply);
                }
            });
            return result;
        }

        private static String sha1(String text) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
                return java.util.HexFormat.of().formatHex(digest);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        try {
            pubsub.close();
            commands.close();
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
