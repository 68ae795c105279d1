package io.ssehub.app;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.ssehub.auth.AccessPolicy;
import io.ssehub.hub.Hub;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.SseEncoder;
import io.ssehub.sse.StreamRegistry;
import io.ssehub.web.Services;
import io.ssehub.web.filter.CorsFilter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Starts and stops ssehub with its web application.
 *
 * <p>On start: reads the {@link Config} (an invalid value fails the deployment with a message
 * naming the key), builds the hub, the writer pool and one scheduler (tick, keep-alive), and
 * publishes the {@link Services} for the servlet. On stop: stops the scheduler, closes every open
 * stream, and waits for our threads to end, so an undeploy leaves nothing of ours running.
 */
public final class AppLifecycle implements ServletContextListener {

    private static final Logger log = LoggerFactory.getLogger(AppLifecycle.class);
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final NamedThreads writerThreads = new NamedThreads("writer");
    private final NamedThreads schedulerThreads = new NamedThreads("scheduler");
    private ScheduledExecutorService scheduler;
    private ExecutorService writers;
    private StreamRegistry streams;
    private AccessPolicy access;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Config config = Config.load(Config.Sources.of(context::getInitParameter));
        access = AccessWiring.policy(config.access());

        Hub hub = new Hub(new SseEncoder(), config.history(), Hub.newEpoch(), System::nanoTime);
        streams = new StreamRegistry(config.streamsMax(), config.streamsPerClient());
        writers = Executors.newFixedThreadPool(config.writerThreads(), writerThreads);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, schedulerThreads);
        timer.setRemoveOnCancelPolicy(true);
        scheduler = timer;

        long keepAlive = config.keepAliveInterval().toNanos();
        scheduler.scheduleAtFixedRate(() -> streams.heartbeat(keepAlive / 2), keepAlive, keepAlive, TimeUnit.NANOSECONDS);
        long housekeeping = TimeUnit.MILLISECONDS.toNanos(Math.min(1_000, Math.max(50, config.overflowGrace().toMillis() / 4)));
        long grace = config.overflowGrace().toNanos();
        long lifetime = config.streamMaxLifetime().toNanos();
        scheduler.scheduleAtFixedRate(guard(() -> {
            hub.expire();
            streams.enforceOverflowGrace(grace);
            if (lifetime > 0) {
                streams.closeOlderThan(lifetime);
            }
            streams.closeExpired();
            access.refresh();
        }), housekeeping, housekeeping, TimeUnit.NANOSECONDS);
        if (!config.tickInterval().isZero()) {
            long tick = config.tickInterval().toNanos();
            scheduler.scheduleAtFixedRate(guard(new Ticker(hub, Clock.systemDefaultZone())), tick, tick,
                    TimeUnit.NANOSECONDS);
        }

        Services.Limits limits = new Services.Limits(config.publishMaxBody(), config.topicMaxLength(),
                config.subscriberQueue(), config.overflow(), config.streamMaxTopics(), config.publishMaxBatch(),
                config.topicsMax());
        context.setAttribute(Services.ATTRIBUTE, new Services(hub, streams, writers, jsonMapper(), limits, access));
        context.setAttribute(CorsFilter.ATTRIBUTE, config.access().cors());
        log.info("ssehub started: {}", config);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(Services.ATTRIBUTE);
        event.getServletContext().removeAttribute(CorsFilter.ATTRIBUTE);
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        streams.closeAll(CloseReason.SHUTDOWN);
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
            writerThreads.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("ssehub stopped");
    }

    static ObjectMapper jsonMapper() {
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
