package io.ssehub.app;

import org.junit.jupiter.api.Test;

import java.time.LocalTime;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TickerTest {

    @Test
    void usesGosKitchenLayout() {
        assertEquals("tick at 3:04PM", Ticker.message(LocalTime.of(15, 4, 59)));
        assertEquals("tick at 12:00AM", Ticker.message(LocalTime.MIDNIGHT));
        assertEquals("tick at 12:30PM", Ticker.message(LocalTime.of(12, 30)));
        assertEquals("tick at 9:05AM", Ticker.message(LocalTime.of(9, 5)));
    }
}
