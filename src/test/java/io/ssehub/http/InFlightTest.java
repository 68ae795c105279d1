package io.ssehub.http;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightTest {

    @Test
    void closingRefusesNewRequestsAndWaitsForRunningOnes() throws Exception {
        InFlight inFlight = new InFlight();
        assertTrue(inFlight.enter());
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return inFlight.closeAndAwait(10_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        io.ssehub.testing.Await.until(java.time.Duration.ofSeconds(5), () -> !inFlight.enter() || leave(inFlight),
                "the gate to close");
        assertFalse(drained.isDone(), "one request is still running");
        inFlight.exit();
        assertTrue(drained.get(5, TimeUnit.SECONDS));
    }

    /** Undoes an enter that slipped in before the gate closed, so the loop can try again. */
    private static boolean leave(InFlight inFlight) {
        inFlight.exit();
        return false;
    }

    @Test
    void givesUpAfterTheTimeout() throws Exception {
        InFlight inFlight = new InFlight();
        assertTrue(inFlight.enter());
        assertFalse(inFlight.closeAndAwait(20));
    }
}
