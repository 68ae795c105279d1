package io.ssehub.app;

import io.ssehub.hub.Broker;
import io.ssehub.hub.Message;

import java.time.Clock;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Publishes {@code tick at 3:04PM} (Go's {@code time.Kitchen} layout, the server's local time) on
 * topic {@code system}. Run periodically by the scheduler.
 */
final class Ticker implements Runnable {

    static final String TOPIC = "system";
    private static final DateTimeFormatter KITCHEN = DateTimeFormatter.ofPattern("h:mma", Locale.US);

    private final Broker broker;
    private final Clock clock;

    Ticker(Broker broker, Clock clock) {
        this.broker = broker;
        this.clock = clock;
    }

    static String message(LocalTime time) {
        return "tick at " + KITCHEN.format(time);
    }

    @Override
    public void run() {
        if (broker.available()) {
            broker.submit(List.of(new Message(TOPIC, message(LocalTime.now(clock)))));
        }
    }
}
