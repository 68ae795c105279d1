package io.ssehub.sse;

import io.ssehub.sse.StreamRegistry.Admission;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamRegistryOverdraftTest {

    private static StreamRegistry registry(int max, int perClient, long graceNanos) {
        return new StreamRegistry(max, perClient, () -> new byte[0], Runnable::run, graceNanos);
    }

    @Test
    void aFullNodeLendsAsManyAgainAsItsLimitThenRefuses() {
        StreamRegistry streams = registry(4, 0, TimeUnit.SECONDS.toNanos(3));
        for (int i = 0; i < 4; i++) {
            assertEquals(Admission.ADMITTED, streams.admit("a"));
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(Admission.OVERDRAWN, streams.admit("b"));
        }
        assertEquals(Admission.NODE_FULL, streams.admit("b"));
        assertEquals(8, streams.admitted());
    }

    @Test
    void aNodeWithoutGraceRefusesAtItsLimit() {
        StreamRegistry streams = registry(1, 0, 0);
        assertEquals(Admission.ADMITTED, streams.admit("a"));
        assertEquals(Admission.NODE_FULL, streams.admit("b"));
        assertEquals(1, streams.admitted());
    }

    @Test
    void anOverdraftRefusedByTheClientsLimitOrReleasedIsGivenBack() {
        StreamRegistry streams = registry(2, 1, TimeUnit.SECONDS.toNanos(3));
        for (String client : new String[] {"a", "b"}) {
            assertEquals(Admission.ADMITTED, streams.admit(client));
        }
        assertEquals(Admission.OVERDRAWN, streams.admit("c"));
        assertEquals(Admission.CLIENT_FULL, streams.admit("a"), "the client's own limit still holds");
        Admission lent = streams.admit("e");
        assertEquals(Admission.OVERDRAWN, lent);
        streams.release("e");
        assertEquals(Admission.OVERDRAWN, streams.admit("f"), "what was lent and given back can be lent again");
        assertEquals(Admission.NODE_FULL, streams.admit("g"));
    }
}
