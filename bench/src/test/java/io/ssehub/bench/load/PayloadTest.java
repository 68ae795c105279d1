package io.ssehub.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PayloadTest {

    private static Payload.Parsed parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Payload.Parsed parsed = new Payload.Parsed();
        Payload.parse(bytes, bytes.length, parsed);
        return parsed;
    }

    @Test
    void roundTripsMeasuredMessages() {
        Payload.Parsed p = parse(Payload.measured(42, -123456789L));
        assertEquals(Payload.Kind.MEASURED, p.kind);
        assertEquals(42, p.seq);
        assertEquals(-123456789L, p.sendNanos);
    }

    @Test
    void recognisesWarmupAndRejectsOthers() {
        assertEquals(Payload.Kind.WARMUP, parse(Payload.warmup(3)).kind);
        assertEquals(Payload.Kind.MALFORMED, parse("m:1:").kind);
        assertEquals(Payload.Kind.MALFORMED, parse("m:1:2x").kind);
        assertEquals(Payload.Kind.MALFORMED, parse("hello").kind);
    }
}
