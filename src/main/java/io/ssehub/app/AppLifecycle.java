package io.ssehub.app;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.ssehub.api.BrokerSseHub;
import io.ssehub.api.SseHub;
import io.ssehub.auth.AccessPolicy;
import io.ssehub.cluster.RedisBroker;
import io.ssehub.mercure.MercureRoutes;
import io.ssehub.hub.Broker;
import io.ssehub.hub.Hub;
import io.ssehub.hub.IdempotencyKeys;
import io.ssehub.hub.LocalBroker;
import io.ssehub.hub.PublishRules;
import io.ssehub.hub.TopicQuota;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.SseEncoder;
import io.ssehub.sse.SseStream;
import io.ssehub.sse.StreamRegistry;
import io.ssehub.metrics.PrometheusEndpoint;
import io.ssehub.sse.StreamObserver;
import io.ssehub.sse.WriterPool;
import io.ssehub.http.filter.AccessLogFilter;
import io.ssehub.http.BodyReader;
import io.ssehub.http.ClientLimits;
import io.ssehub.http.InFlight;
import io.ssehub.http.PublishRate;
import io.ssehub.http.TopicLimit;
import io.ssehub.http.Operations;
import io.ssehub.http.Readiness;
import io.ssehub.http.Services;
import io.ssehub.web.SeedRoutes;
import io.ssehub.http.filter.CorsFilter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts and stops ssehub with its web application.
 *
 * <p>On start: reads the {@link Config} (an invalid value fails the deployment with a message
 * naming the key), switches the log format (standalone only: embedded, logging is the host's),
 * builds the hub, its metrics, the writer pool and one scheduler (tick, keep-alive), publishes the
 * {@link Services} for the servlet and the {@link SseHub} for the host's code, and turns ready.
 *
 * <p>On stop, in this order: the {@link SseHub} is withdrawn and not ready any more; new
 * publishes, over HTTP or through an {@code SseHub} still held, are refused and those in flight
 * finish; the scheduler stops (a backplane's publish uses it); every stream writes what it has queued, then a {@code retry:} hint
 * with jitter, and closes; streams that could not do so within the timeout are closed; our
 * threads end and the metrics are unhooked, so an undeploy leaves nothing of ours running.
 */
public final class AppLifecycle implements ServletContextListener {

    /**
     * A context attribute a host application may set before ssehub starts, holding its own
     * Micrometer {@code MeterRegistry}: the hub's meters are then registered there as well (the
     * Spring Boot integration sets it to the application's registry).
     */
    public static final String HOST_METER_REGISTRY = "io.ssehub.metrics.hostRegistry";

    private static final Logger log = LoggerFactory.getLogger(AppLifecycle.class);
    private static final long STOP_WAIT_MILLIS = 5_000;
    /** How long shutdown waits for the container to finish the requests of the streams it closed. */
    private static final long CONTAINER_WAIT_MILLIS = 2_000;

    private final NamedThreads writerThreads = new NamedThreads("writer");
    private final NamedThreads schedulerThreads = new NamedThreads("scheduler");
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final NamedThreads redisThreads = new NamedThreads("redis");
    private ExecutorService redisWorker;
    private ScheduledExecutorService scheduler;
    private WriterPool writers;
    private StreamRegistry streams;
    private RedisBroker redis;
    private Readiness readiness;
    private InFlight publishes;
    private PrometheusEndpoint metrics;
    private Config config;
    private AccessPolicy access;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        config = Config.load(Config.Sources.of(context::getInitParameter));
        config.logFormat().apply(context.getAttribute(EmbeddedInitializer.MOUNTED_AT) != null);
        context.setAttribute(AccessLogFilter.ENABLED_ATTRIBUTE, config.accessLog());
        for (Setting secret : Config.Sources.of(context::getInitParameter).secretsInSystemProperties()) {
            log.warn("{} is set as a Java system property, which some containers (Tomcat among them) log at start-up:"
                    + " use {} or the environment variable {} instead", secret.key(), secret.fileVariant().key(),
                    secret.envName());
        }
        boolean mercure = config.mercureEnabled();
        access = AccessWiring.policy(config.access(), mercure ? config.mercure() : null);

        Hub hub = new Hub(new SseEncoder(), config.history(), Hub.newEpoch(), System::nanoTime);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, schedulerThreads);
        timer.setRemoveOnCancelPolicy(true);
        scheduler = timer;
        // Mass closes run on the scheduler's thread: never on the thread that asks (a resync is
        // noticed on the Redis client's event loop), and so never on an I/O thread.
        streams = new StreamRegistry(config.streamsMax(), config.streamsPerClient(), this::retryHint, scheduler,
                config.streamsGrace().toNanos());
        readiness = new Readiness();
        publishes = new InFlight();
        StreamObserver streamObserver = StreamObserver.NONE;
        Operations.Exposition exposition = null;
        if (config.metricsEnabled()) {
            metrics = new PrometheusEndpoint(hub, streams,
                    context.getAttribute(HOST_METER_REGISTRY) instanceof MeterRegistry host ? host : null);
            hub.observeWith(metrics.observer());
            streamObserver = metrics.observer();
            exposition = new Operations.Exposition(PrometheusEndpoint.CONTENT_TYPE, metrics::scrape);
        }
        writers = new WriterPool(config.writerThreads(), writerThreads);

        Broker broker = new LocalBroker(hub, new IdempotencyKeys(config.idempotencyTtl(), config.idempotencyKeys(),
                System::nanoTime));
        if (config.backplane().equals("redis")) {
            redisWorker = Executors.newFixedThreadPool(2, redisThreads);
            redis = new RedisBroker(hub, new RedisBroker.Options(config.redisUri(), config.history(), config.topicsMax(),
                    config.idempotencyTtl(), config.redisPing(), scheduler, redisWorker,
                    which -> streams.dismiss(stream -> which.test(stream.subscriber()), CloseReason.RESYNC)));
            broker = redis;
            readiness.add("backplane", redis::available);
            if (metrics != null) {
                metrics.bytesGauge("ssehub.resume.held", "History pages read from Redis for resuming streams and not yet"
                        + " written to them", redis::resumeBytesHeld);
                metrics.bytesGauge("ssehub.resume.held.peak", "The most history resuming streams held at once since"
                        + " the node started", redis::resumeBytesHeldPeak);
            }
        }

        long keepAlive = config.keepAliveInterval().toNanos();
        scheduler.scheduleAtFixedRate(() -> streams.heartbeat(keepAlive / 2), keepAlive, keepAlive, TimeUnit.NANOSECONDS);
        long probe = config.streamProbe().toNanos();
        if (probe > 0) {
            int probeRate = config.streamProbeRate();
            scheduler.scheduleAtFixedRate(() -> streams.probe(probe, probeRate), probe, probe, TimeUnit.NANOSECONDS);
        }
        long housekeeping = TimeUnit.MILLISECONDS.toNanos(Math.min(1_000, Math.max(50, config.overflowGrace().toMillis() / 4)));
        long grace = config.overflowGrace().toNanos();
        long lifetime = config.streamMaxLifetime().toNanos();
        readiness.add("credentials", access::healthy);
        scheduler.scheduleAtFixedRate(guard(() -> {
            hub.expire();
            access.refresh(); // before the deadlines, so a withdrawn key's streams close in the same pass
            streams.enforce(grace);
            streams.settleOverdrafts();
            if (lifetime > 0) {
                streams.dismissOlderThan(lifetime);
            }
        }), housekeeping, housekeeping, TimeUnit.NANOSECONDS);
        if (!config.tickInterval().isZero()) {
            long tick = config.tickInterval().toNanos();
            scheduler.scheduleAtFixedRate(guard(new Ticker(broker, Clock.systemDefaultZone())), tick, tick,
                    TimeUnit.NANOSECONDS);
        }

        Services.Limits limits = new Services.Limits(config.publishMaxBody(), config.topicMaxLength(),
                config.subscriberQueue(), config.overflow(), config.streamMaxTopics(), config.publishMaxBatch(),
                config.streamBuffer());
        Operations operations = new Operations(readiness, publishes, streamObserver, exposition, config.accessLog());
        context.setAttribute(Services.ATTRIBUTE, services(config, hub, broker, limits, operations, mercure));
        context.setAttribute(CorsFilter.ATTRIBUTE, config.access().cors());
        context.setAttribute(SseHub.ATTRIBUTE, new BrokerSseHub(hub, broker,
                new PublishRules(config.topicMaxLength(), config.publishMaxBatch()),
                new TopicQuota(hub, config.topicsMax()), publishes::enter, publishes::exit));
        readiness.started();
        log.info("ssehub started: {}", config);
    }

    private Services services(Config config, Hub hub, Broker broker, Services.Limits limits, Operations operations,
                              boolean mercure) {
        ClientLimits clientLimits = new ClientLimits(config.trustedProxies(),
                new BodyReader.Limits(config.publishMaxBody(), config.publishMinRate(), config.publishBodyTimeout()),
                new TopicLimit(hub, config.topicsMax(), config.topicsPerClient()),
                config.publishRate() == 0 ? PublishRate.OFF
                        : new PublishRate(config.publishRate(), config.publishBurst(), System::nanoTime));
        return new Services(hub, broker, streams, writers, jsonMapper(), limits, operations, access,
                mercure ? List.of(new SeedRoutes(), new MercureRoutes(config.mercure())) : List.of(new SeedRoutes()),
                mercure ? List.of(MercureRoutes.DISCOVERY) : List.of(), clientLimits);
    }


    /**
     * Stops the hub; only the first call does anything. A host may call it before its container
     * does (the Spring Boot integration does, so that graceful shutdown finds no stream in flight).
     */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(Services.ATTRIBUTE);
        event.getServletContext().removeAttribute(CorsFilter.ATTRIBUTE);
        event.getServletContext().removeAttribute(SseHub.ATTRIBUTE);
        if (scheduler == null || !stopping.compareAndSet(false, true)) {
            return;
        }
        readiness.stopping();
        long timeout = config.shutdownTimeout().toMillis();
        try {
            // The scheduler stops after the publishes in flight: a backplane's publish uses it.
            try {
                if (!publishes.closeAndAwait(timeout)) {
                    log.warn("publishes still running after {} ms at shutdown", timeout);
                }
            } finally {
                scheduler.shutdownNow();
            }
            List<SseStream> open = streams.snapshot();
            streams.finishAll(CloseReason.SHUTDOWN); // on this thread: the scheduler has stopped
            if (!streams.awaitEmpty(timeout)) {
                log.info("{} of {} streams had not written their last frame after {} ms; closing them",
                        streams.size(), open.size(), timeout);
            }
            streams.closeAll(CloseReason.SHUTDOWN);
            if (!StreamRegistry.awaitContainers(open, Math.min(timeout, CONTAINER_WAIT_MILLIS))) {
                log.debug("the container had not finished every closed stream's request at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            streams.closeAll(CloseReason.SHUTDOWN);
        }
        if (redis != null) {
            redis.close();
            redisWorker.shutdownNow();
            awaitTermination(redisWorker);
        }
        writers.shutdown();
        awaitTermination(scheduler);
        awaitTermination(writers);
        try {
            access.close();
        } catch (IOException e) {
            log.warn("could not release the JWKS source: {}", e.toString());
        }
        try {
            schedulerThreads.join(STOP_WAIT_MILLIS);
            redisThreads.join(STOP_WAIT_MILLIS);
            writerThreads.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (metrics != null) {
            metrics.close();
        }
        log.info("ssehub stopped");
    }

    /**
     * The last frame of a stream that a server-side mass close ends: the base hint plus a random
     * share of the jitter, different for every stream, so its clients do not all come back at once.
     */
    private byte[] retryHint() {
        long base = config.shutdownRetry().toMillis();
        long jitter = config.shutdownRetryJitter().toMillis();
        return SseEncoder.retry(base + (jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
    }

    /** The JSON mapper every handler uses: duplicate keys and content after the value are refused. */
    public static ObjectMapper jsonMapper() {
        return JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** A periodic task that throws would be silently cancelled by the scheduler; log and go on. */
    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("scheduled task failed", e);
            }
        };
    }

    private static void awaitTermination(ExecutorService executor) {
        try {
            if (!executor.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                log.warn("threads still busy after {} ms at shutdown", STOP_WAIT_MILLIS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
