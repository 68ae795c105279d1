package io.ssehub.bench.target;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CloseReasonsTest {

    @Test
    void readsTheCloseCounterByReasonAndNothingElse() {
        String page = """
                # HELP ssehub_streams_closed_total Event streams ended, by reason
                # TYPE ssehub_streams_closed_total counter
                ssehub_streams_closed_total{reason="client_gone"} 10002.0
                ssehub_streams_closed_total{application="ssehub",reason="over_limit",} 285.0
                ssehub_streams_closed_total{reason="shutdown"} 0.0
                ssehub_streams_closed_created{reason="over_limit"} 1.764869E9
                ssehub_frames_dropped_total{reason="over_limit"} 7.0
                """;
        assertEquals(Map.of("client_gone", 10_002L, "over_limit", 285L, "shutdown", 0L), CloseReasons.parse(page));
    }
}
