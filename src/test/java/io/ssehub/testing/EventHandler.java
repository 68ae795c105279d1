package io.ssehub.testing;

import com.launchdarkly.eventsource.MessageEvent;
import com.launchdarkly.eventsource.background.BackgroundEventHandler;

import java.util.function.BiConsumer;

/**
 * What a test hears from LaunchDarkly's {@code okhttp-eventsource}, a client written elsewhere:
 * each event with its type, and each time the client (re)opens its stream; comments, errors and
 * closes are ignored.
 */
public final class EventHandler implements BackgroundEventHandler {

    private final BiConsumer<String, MessageEvent> onMessage;
    private final Runnable onOpen;

    public EventHandler(BiConsumer<String, MessageEvent> onMessage, Runnable onOpen) {
        this.onMessage = onMessage;
        this.onOpen = onOpen;
    }

    public EventHandler(BiConsumer<String, MessageEvent> onMessage) {
        this(onMessage, () -> { });
    }

    @Override
    public void onOpen() {
        onOpen.run();
    }

    @Override
    public void onClosed() {
    }

    @Override
    public void onMessage(String event, MessageEvent message) {
        onMessage.accept(event, message);
    }

    @Override
    public void onComment(String comment) {
    }

    @Override
    public void onError(Throwable t) {
    }
}
