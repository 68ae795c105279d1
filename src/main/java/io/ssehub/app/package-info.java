/**
 * The wiring: {@link io.ssehub.app.AppLifecycle} reads the {@link io.ssehub.app.Config}, builds the
 * hub, the writer pool and the scheduler when the web application starts, and takes them all down
 * when it stops.
 *
 * <p>May use: everything in {@code io.ssehub}.
 */
package io.ssehub.app;
