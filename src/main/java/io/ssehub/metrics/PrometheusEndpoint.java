package io.ssehub.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
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

/**
 * A Prometheus registry holding the hub's meters and the JVM's and process's, and its scrape in
 * the text exposition format.
 *
 * <p>{@link #close()} unhooks everything it registered outside itself (the garbage collector
 * listeners), so an undeploy leaves nothing of ours behind.
 */
public final class PrometheusEndpoint implements AutoCloseable {

    /** The text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final HubMetrics hubMetrics;

    public PrometheusEndpoint(Hub hub, StreamRegistry streams) {
        hubMetrics = new HubMetrics(registry, hub, streams);
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

    /** Writes every meter in the text exposition format ({@link #CONTENT_TYPE}). */
    public void scrape(OutputStream out) throws IOException {
        registry.scrape(out, CONTENT_TYPE);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
