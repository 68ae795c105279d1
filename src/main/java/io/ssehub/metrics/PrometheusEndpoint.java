package io.ssehub.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ssehub.hub.Hub;
import io.ssehub.sse.StreamRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongSupplier;

/**
 * A Prometheus registry holding the hub's meters and the JVM's and process's, and its scrape in
 * the text exposition format.
 *
 * <p>A host application may hand over its own registry (a Spring Boot application's
 * {@code MeterRegistry}): the hub's meters are then registered in it as well, so they appear
 * wherever the host publishes its metrics. The JVM's and process's are not, as the host counts
 * those itself.
 *
 * <p>{@link #close()} unhooks everything it registered outside itself (the garbage collector
 * listeners, the hub's meters in the host's registry), so an undeploy leaves nothing of ours
 * behind.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    /** The text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final HubMetrics hubMetrics;
    private final MeterRegistry host;
    /** Where the hub's meters go: this registry, and the host's if there is one. */
    private final MeterRegistry hubRegistry;

    public PrometheusEndpoint(Hub hub, StreamRegistry streams) {
        this(hub, streams, null);
    }

    /** With {@code host} not {@code null}, the hub's meters are registered there too. */
    public PrometheusEndpoint(Hub hub, StreamRegistry streams, MeterRegistry host) {
        this.host = host;
        MeterRegistry hubRegistry = registry;
        if (host != null) {
            CompositeMeterRegistry both = new CompositeMeterRegistry();
            both.add(registry);
            both.add(host);
            hubRegistry = both;
        }
        this.hubRegistry = hubRegistry;
        hubMetrics = new HubMetrics(hubRegistry, hub, streams);
        MeterBinder[] binders = {new JvmMemoryMetrics(), gc, new JvmThreadMetrics(), new ClassLoaderMetrics(),
                new ProcessorMetrics(), new UptimeMetrics(), new FileDescriptorMetrics()};
        for (MeterBinder binder : binders) {
            binder.bindTo(registry);
        }
    }

    /** The observer to give the hub and the streams. */
    public HubMetrics observer() {
        return hubMetrics;
    }

    /**
     * Adds a gauge of bytes that a part of the hub wired after this (a backplane) reports, read at
     * each scrape; its name starts with {@code ssehub.}.
     */
    public void bytesGauge(String name, String description, LongSupplier bytes) {
        if (!name.startsWith(HubMetrics.PREFIX)) {
            throw new IllegalArgumentException("a gauge of the hub is named " + HubMetrics.PREFIX + "...: " + name);
        }
        Gauge.builder(name, bytes, LongSupplier::getAsLong).baseUnit("bytes").strongReference(true)
                .description(description).register(hubRegistry);
    }

    /** Writes every meter in the text exposition format ({@link #CONTENT_TYPE}). */
    public void scrape(OutputStream out) throws IOException {
        registry.scrape(out, CONTENT_TYPE);
    }

    @Override
    public void close() {
        gc.close();
        if (host != null) {
            // By name, not by id: the host's meter filters (common tags) may have changed the ids.
            for (Meter meter : host.getMeters()) {
                if (meter.getId().getName().startsWith(HubMetrics.PREFIX)) {
                    host.remove(meter);
                }
            }
        }
        registry.close();
    }
}
