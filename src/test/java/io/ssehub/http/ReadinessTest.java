package io.ssehub.http;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadinessTest {

    @Test
    void readyOnlyBetweenStartAndShutdown() {
        Readiness readiness = new Readiness();
        assertFalse(readiness.report().ready(), "starting");
        readiness.started();
        assertTrue(readiness.report().ready());
        readiness.stopping();
        assertFalse(readiness.report().ready());
        readiness.started();
        assertFalse(readiness.report().ready(), "stopping is for good");
    }

    @Test
    void aFailingOrThrowingCheckMakesItUnreadyAndIsNamed() {
        AtomicBoolean reachable = new AtomicBoolean(true);
        Readiness readiness = new Readiness()
                .add("backplane", reachable::get)
                .add("broken", () -> {
                    throw new IllegalStateException("boom");
                });
        readiness.started();
        assertEquals(Map.of("backplane", true, "broken", false), readiness.report().checks());
        assertFalse(readiness.report().ready());
    }

    @Test
    void aCheckIsAskedEveryTime() {
        AtomicBoolean reachable = new AtomicBoolean(false);
        Readiness readiness = new Readiness().add("backplane", reachable::get);
        readiness.started();
        assertFalse(readiness.report().ready());
        reachable.set(true);
        assertTrue(readiness.report().ready());
    }
}
