package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LocalSubscriptionsTest {

    private final Hub hub = new Hub(new TestEncoder(), new HistoryLimits(10, Duration.ofMinutes(1), 1 << 20), "ep",
            System::nanoTime);
    private final LocalSubscriptions subscriptions = new LocalSubscriptions(hub);

    @Test
    void listsWhatIsOpenWithTheNewestIdAndForgetsWhatClosed() {
        subscriptions.add("urn:a", Map.of("t1", "a1", "t2", "a2"));
        subscriptions.add("urn:b", Map.of("t1", "b1"));
        hub.publish(new Message("t1", "x"));
        SubscriptionRegistry.Listing listing = subscriptions.list().toCompletableFuture().join();
        assertEquals(List.of("a1", "a2", "b1"), listing.records().stream().sorted().toList());
        assertEquals("ep-1", listing.lastEventId());
        subscriptions.remove("urn:a");
        subscriptions.remove("urn:a");
        assertEquals(List.of("b1"), subscriptions.list().toCompletableFuture().join().records(), "a removal is idempotent");
    }
}
