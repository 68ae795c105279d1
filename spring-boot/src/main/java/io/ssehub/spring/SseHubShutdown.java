package io.ssehub.spring;

import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the hub as the application stops, in the phase just before the web server's graceful
 * shutdown. That shutdown waits for every request in flight, and an open stream is one until the
 * hub ends it: stopped later, by the container, the hub would end its streams only after
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s) had run out. Stopped here, every
 * stream gets its last words at once, publishes in flight finish, and the graceful shutdown finds
 * the streams already complete.
 */
final class SseHubShutdown implements SmartLifecycle {

    private final Runnable stopHub;
    private volatile boolean running;

    SseHubShutdown(Runnable stopHub) {
        this.stopHub = stopHub;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        stopHub.run();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
    }
}
