/**
 * Metrics: {@link io.ssehub.metrics.HubMetrics} turns what the hub and the streams report into
 * Micrometer meters, and {@link io.ssehub.metrics.PrometheusEndpoint} holds them, with the JVM's
 * and process's, in a Prometheus registry for {@code GET /metrics}.
 *
 * <p>May use: {@code io.ssehub.hub}, {@code io.ssehub.sse} (its observer seam), Micrometer.
 */
package io.ssehub.metrics;
