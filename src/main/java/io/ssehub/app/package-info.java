/**
 * The wiring: {@link io.ssehub.app.AppLifecycle} reads the {@link io.ssehub.app.Config}, builds the
 * hub, the writer pool and the scheduler when the web application starts, and takes them all down
 * when it stops; meanwhile a servlet context attribute holds the {@link io.ssehub.api.SseHub} the
 * host's own code publishes through without HTTP. {@link io.ssehub.app.EmbeddedInitializer} mounts
 * the same application inside a host web application, registering the filters of
 * {@code io.ssehub.http.filter.FilterOrder}; there the logging configuration is the host's, and
 * {@link io.ssehub.app.LogFormat} leaves it alone.
 *
 * <p>May use: everything in {@code io.ssehub}.
 */
package io.ssehub.app;
