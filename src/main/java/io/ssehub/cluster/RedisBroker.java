package io.ssehub.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.ssehub.hub.Broker;
import io.ssehub.hub.EventId;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.IdempotencyKey;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import io.ssehub.hub.StartPosition;
import io.ssehub.hub.Subscriber;
import io.ssehub.hub.Subscription;
import io.ssehub.hub.SubscriptionRegistry;
import io.ssehub.hub.TopicInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Several nodes sharing topics through Redis.
 *
 * <p>Publishing runs one script per request ({@link RedisPublisher}): it takes the next
 * cluster-wide ids from a counter, appends the events to their topics' Redis streams (the
 * history, within the count, age and byte limits and the topic cap) and publishes each on its
 * topic's channel. Every node subscribes only to the channels of topics its own subscribers need;
 * events arrive on its one pub/sub connection in the order Redis ran the scripts, and go to its
 * hub in that order ({@link LiveFeed}).
 *
 * <p>Resuming reads the gap from Redis ({@link HistoryReader}, in pages, on the backplane's own
 * threads) after the node has joined the topic's channel and registered the subscriber, up to the
 * seq Redis had issued then: an event up to it is replayed, one after it delivered live. The
 * first page goes out with the stream's first frame, each next one when the stream has written
 * the one before ({@link PagedReplay}), so a resume holds about one page of the gap at a time. A subscriber
 * of topic selectors ({@link Subscriber#everywhere()}) joins the channel every event is sent on
 * ({@link RedisKeys#EVERYWHERE}) and resumes from the cross-topic index.
 *
 * <p>The pub/sub connection is pinged every {@code pingInterval}; a ping without an answer, or a
 * lost connection, is an outage: not {@link #available()}, live events held back. When Redis
 * answers again, {@link Resync} replays the gap into the open streams (or announces a
 * {@code reset}), and streams close only if the gap could not be held.
 *
 * <p>Redis is one server, the master Sentinel names ({@code redis-sentinel://}), or a Redis
 * Cluster ({@code redis-cluster://}), where every key and channel is in one slot
 * ({@link RedisConnections}).
 */
public final class RedisBroker implements Broker, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    /** Lettuce's timeout for every command: a ping without an answer in this time is an outage. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private final Hub hub;
    private final ExecutorService worker;
    /** The longest pause between two attempts to reconnect. */
    static final Duration RECONNECT_AT_MOST = Duration.ofSeconds(1);

    private final ClientResources resources;
    private final RedisConnections redis;
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final RedisClock clock = new RedisClock();
    private final LiveFeed feed;
    private final HistoryReader history;
    private final PublisherIds publisherIds;
    private final RedisSubscriptions subscriptions;
    private final RedisPublisher publisher;
    private final Resync resync;
    private final LuaScript epoch = LuaScript.load("epoch.lua");
    private final LuaScript topic = LuaScript.load("topic.lua");
    private final PagedReplay.Held replayed = new PagedReplay.Held();
    /** The resumes of this node's subscribers, sent a page at a time; until the subscriber leaves. */
    private final Map<Subscriber, PagedReplay> replays = new ConcurrentHashMap<>();
    /**
     * Subscribers whose attach is still working: one that leaves meanwhile (its opener stopped
     * waiting) is no longer here when the attach ends, which then drops the replay it made.
     */
    private final Set<Subscriber> attaching = ConcurrentHashMap.newKeySet();
    private final Object joinLock = new Object();
    private final Map<String, Joined> joined = new HashMap<>();
    private final AtomicBoolean pinging = new AtomicBoolean();
    private final ScheduledFuture<?> pings;
    private volatile boolean connected = true;
    private volatile boolean closing;

    private static final class Joined {
        int count;
        CompletableFuture<Void> ready;
    }

    /**
     * What the broker is given.
     *
     * @param uri            where Redis is
     * @param history        the history limits, held in Redis by the publish script
     * @param maxTopics      the most topics with history, over the cluster
     * @param idempotencyTtl how long a publisher's idempotency key is remembered
     * @param pingInterval   how often the pub/sub connection is pinged
     * @param scheduler      runs the pings and echo timeouts; must outlive publishes in flight
     * @param worker         the backplane's own threads: history reads and resyncs, never Lettuce's
     * @param mustClose      closes this node's streams whose subscriber the predicate selects, when an
     *                       outage left them a gap that neither a replay nor a reset can fill; never
     *                       runs on Lettuce's event loop
     */
    public record Options(String uri, HistoryLimits history, int maxTopics, Duration idempotencyTtl,
                          Duration pingInterval, ScheduledExecutorService scheduler, ExecutorService worker,
                          Consumer<Predicate<Subscriber>> mustClose) {
    }

    /** Connects at once; an unreachable Redis fails the start. */
    public RedisBroker(Hub hub, Options options) {
        this.hub = hub;
        this.worker = options.worker();
        // Reconnect within a second of Redis's return (Lettuce's default backs off to 30 s): the
        // gap a node must replay, and the history it needs for that, grow while it waits.
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), RECONNECT_AT_MOST, 2, TimeUnit.MILLISECONDS))
                .build();
        RedisConnections opened = null;
        try {
            opened = RedisConnections.open(options.uri(), resources, ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                    .build());
            clock.measure(opened).toCompletableFuture().get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (opened != null) {
                opened.close();
            }
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot reach Redis at " + (RedisConnections.isCluster(options.uri())
                    ? options.uri().replaceAll("//[^@/]*@", "//***@") : RedisURI.create(options.uri())), e);
        }
        redis = opened;
        pubsub = redis.pubsub();
        feed = new LiveFeed(hub);
        history = new HistoryReader(hub, options.history(), redis.scripting(), worker);
        publisherIds = new PublisherIds(redis);
        subscriptions = new RedisSubscriptions(redis, clock, options.pingInterval(), options.scheduler());
        publisher = new RedisPublisher(redis.scripting(), options.history(), options.maxTopics(), options.idempotencyTtl(),
                options.scheduler(), this::isJoined, clock, redis.publishCommand());
        resync = new Resync(feed, history, new Resync.Backplane() {
            @Override
            public List<String> topics() {
                synchronized (joinLock) {
                    return List.copyOf(joined.keySet());
                }
            }

            @Override
            public void rejoin() {
                String[] channels = topics().stream().map(RedisKeys::channel).toArray(String[]::new);
                if (channels.length > 0) {
                    Broker.await(redis.subscribe(channels));
                }
            }

            @Override
            public String newEpoch(EventId seen) {
                return Broker.await(epoch.run(redis.scripting(),
                        new String[]{RedisKeys.EPOCH, RedisKeys.BYTES, RedisKeys.ORDER, RedisKeys.SEQ, RedisKeys.INDEX,
                                RedisKeys.INDEX_META, RedisKeys.IDS},
                        seen.epoch(), Hub.newEpoch(), Long.toString(seen.seq()))).toString();
            }
        }, worker, options.mustClose());
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                received(channel, message);
            }

            @Override
            public void smessage(String shardChannel, String message) {
                received(shardChannel, message);
            }
        });
        redis.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                connected = true;
                if (connection == pubsub && feed.holding()) {
                    resync.request();
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                connected = false;
                if (closing) {
                    return;
                }
                if (connection == pubsub) {
                    outage("lost the pub/sub connection to Redis");
                } else {
                    log.warn("lost the connection to Redis");
                }
            }
        });
        long every = Math.max(1, options.pingInterval().toMillis());
        pings = options.scheduler().scheduleWithFixedDelay(this::ping, every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether publishing can succeed and live events flow: connected, answering pings, caught up. */
    @Override
    public boolean available() {
        return connected && redis.isOpen() && !feed.holding();
    }

    // ---- liveness ---------------------------------------------------------------------------

    /**
     * Pings the pub/sub connection (a half-open one answers nothing: it times out) and measures
     * Redis's clock on the command connection. One ping at a time; runs on the scheduler.
     */
    private void ping() {
        if (!pinging.compareAndSet(false, true)) {
            return;
        }
        clock.measure(redis);
        redis.ping().whenComplete((pong, error) -> {
            pinging.set(false);
            if (error != null) {
                outage("Redis did not answer a ping on the pub/sub connection (" + error.getClass().getSimpleName() + ")");
            } else if (feed.holding() && pubsub.isOpen()) {
                resync.request();
            }
        });
    }

    private void outage(String why) {
        if (feed.hold()) {
            log.warn("{}: holding live events until the gap is replayed from Redis", why);
        }
    }

    // ---- publishing -------------------------------------------------------------------------

    @Override
    public CompletionStage<List<PublishResult>> submit(List<Message> messages, IdempotencyKey key) {
        return publisher.submit(messages, key);
    }

    /**
     * A channel message: {@code token \n epoch \n seq \n type \n retry \n private \n publisher's id \n n
     * \n topic} (n of them, the canonical first) {@code \n data}; runs on Lettuce's thread.
     */
    private void received(String channel, String text) {
        LiveFeed.Event event;
        try {
            String[] head = text.split("\n", 9);
            int n = Integer.parseInt(head[7]);
            String[] rest = head[8].split("\n", n + 1);
            List<String> topics = List.of(rest).subList(0, n);
            Message message = new Message(topics.get(0), rest[n], head[3].isEmpty() ? null : head[3],
                    head[4].isEmpty() ? null : Long.valueOf(head[4]), topics.subList(1, n), head[5].equals("1"),
                    head[6].isEmpty() ? null : head[6]);
            event = new LiveFeed.Event(head[0], new EventId(head[1], Long.parseLong(head[2])), message);
        } catch (RuntimeException e) {
            log.error("ignored a malformed message on {}", channel, e);
            return;
        }
        int delivered = feed.received(event);
        if (delivered < 0) {
            log.warn("Redis is in another epoch ({}): holding live events until what was lost is announced",
                    event.id().epoch());
            resync.request();
        }
        publisher.echoed(event.token(), Math.max(0, delivered));
    }

    /** The cluster's history of the topic from Redis, with this node's subscribers. */
    @Override
    public CompletionStage<Optional<TopicInfo>> topic(String name) {
        return topic.run(redis.scripting(), new String[]{RedisKeys.EPOCH, RedisKeys.stream(name), RedisKeys.meta(name)})
                .thenApply(reply -> {
                    List<?> values = (List<?>) reply;
                    long last = ((Number) values.get(1)).longValue();
                    int retained = (int) ((Number) values.get(2)).longValue();
                    int subscribers = hub.subscribers(name);
                    if (retained == 0 && subscribers == 0) {
                        return Optional.empty();
                    }
                    String lastId = last == 0 ? null : new EventId(values.get(0).toString(), last).toString();
                    return Optional.of(new TopicInfo(name, subscribers, lastId, retained));
                });
    }

    // ---- subscribing ------------------------------------------------------------------------

    @Override
    public CompletionStage<Subscription> attach(Subscriber subscriber, StartPosition from) {
        hub.register(subscriber);
        attaching.add(subscriber);
        boolean everywhere = subscriber.everywhere();
        List<String> topics = everywhere ? List.of(RedisKeys.EVERYWHERE) : List.copyOf(new LinkedHashSet<>(subscriber.topics()));
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (String topic : topics) {
            joins.add(join(topic));
        }
        return CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).thenApplyAsync(joinedAll -> {
            Optional<EventId> requested = from instanceof StartPosition.After after
                    ? publisherIds.resolve(after.lastEventId()) : Optional.empty();
            long afterSeq = from instanceof StartPosition.Live ? -1 : requested.map(EventId::seq).orElse(0L);
            HistoryReader.Page first = firstPage(everywhere, topics, afterSeq);
            HistoryReader.Page page = from instanceof StartPosition.After && afterSeq > 0
                    && requested.map(id -> !id.epoch().equals(first.history().epoch())).orElse(true)
                    ? firstPage(everywhere, topics, 0) // another run's id: replay everything retained
                    : first;
            History state = page.history();
            feed.resumedAt(new EventId(state.idEpoch(), state.current()));
            Subscription subscription = state.subscription(from, requested).onlyWhat(subscriber);
            if (!(from instanceof StartPosition.Live)) {
                hub.observeResume(true, subscription.replay().size(), subscription.reset() != null);
                // The replay ends where Redis's sequence stood at the first page; later events come live.
                long through = state.current();
                subscriber.replayedThrough(through);
                if (page.more() || !subscription.replay().isEmpty()) {
                    PagedReplay replay = new PagedReplay(hub, subscriber, after -> everywhere
                            ? history.pageEverywhere(after, through) : history.page(topics, after, through),
                            everywhere, page, subscription.replay(), replayed);
                    replays.put(subscriber, replay);
                    subscriber.replayInPages(replay);
                }
            }
            if (!attaching.remove(subscriber)) {
                dropReplay(subscriber); // it left while this worked
            }
            return subscription;
        }, worker);
    }

    private void dropReplay(Subscriber subscriber) {
        PagedReplay replay = replays.remove(subscriber);
        if (replay != null) {
            replay.close();
        }
    }

    private HistoryReader.Page firstPage(boolean everywhere, List<String> topics, long afterSeq) {
        return everywhere ? history.pageEverywhereNow(afterSeq, -1) : history.pageNow(topics, afterSeq, -1);
    }

    /** Bytes of history pages that resuming streams hold now: read from Redis, not yet written. */
    public long resumeBytesHeld() {
        return replayed.now();
    }

    /** The most {@link #resumeBytesHeld()} has been since the broker started. */
    public long resumeBytesHeldPeak() {
        return replayed.peak();
    }

    @Override
    public void detach(Subscriber subscriber) {
        hub.unsubscribe(subscriber);
        attaching.remove(subscriber);
        dropReplay(subscriber);
        if (subscriber.everywhere()) {
            leave(RedisKeys.EVERYWHERE);
        }
        for (String topic : new LinkedHashSet<>(subscriber.topics())) {
            leave(topic);
        }
    }

    @Override
    public SubscriptionRegistry subscriptions() {
        return subscriptions;
    }

    private CompletableFuture<Void> join(String topic) {
        synchronized (joinLock) {
            Joined entry = joined.computeIfAbsent(topic, t -> new Joined());
            entry.count++;
            if (entry.ready == null || entry.ready.isCompletedExceptionally()) {
                // first local subscriber, or the last attempt failed while Redis was away: try again
                entry.ready = redis.subscribe(RedisKeys.channel(topic)).toCompletableFuture();
                entry.ready.whenComplete((done, error) -> {
                    if (error != null) {
                        log.warn("could not join the channel of topic {}: {}", topic, error.toString());
                    }
                });
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
                    redis.unsubscribe(RedisKeys.channel(topic));
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

    @Override
    public void close() {
        closing = true;
        pings.cancel(false);
        subscriptions.close();
        try {
            redis.close();
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
