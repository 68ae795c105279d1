package io.ssehub.cluster;

import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.FrameEncoder;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;
import io.ssehub.hub.OverflowPolicy;
import io.ssehub.hub.Subscriber;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveFeedTest {

    private final Hub hub = new Hub(new FrameEncoder() {
        @Override
        public byte[] encode(Message message, String id) {
            return (id + " " + message.data()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] encodeWithTopic(Message message, String id) {
            return encode(message, id);
        }
    }, HistoryLimits.NONE, "local", System::nanoTime);
    private final LiveFeed feed = new LiveFeed(hub);
    private final Subscriber subscriber = new Subscriber("t", 1000, () -> { });

    LiveFeedTest() {
        hub.register(subscriber);
    }

    private static LiveFeed.Event event(String epoch, long seq) {
        return new LiveFeed.Event("token", new EventId(epoch, seq), new Message("t", epoch + seq));
    }

    private Frame frame(String epoch, long seq) {
        return hub.frame(new EventId(epoch, seq), new Message("t", epoch + seq));
    }

    private static History read(String epoch, Frame... frames) {
        return new History(epoch, 0, List.of(frames), Map.of(), Map.of());
    }

    private List<String> received() {
        List<Frame> frames = new ArrayList<>();
        subscriber.drainTo(frames);
        return frames.stream().map(Frame::id).toList();
    }

    @Test
    void anEventArrivingTwiceIsDeliveredOnce() {
        assertEquals(1, feed.received(event("e", 1)));
        assertEquals(0, feed.received(event("e", 1)), "an update on a second channel, or replayed");
        assertEquals(1, feed.received(event("e", 2)));
        assertEquals(List.of("e-1", "e-2"), received());
    }

    @Test
    void anOutageIsReplayedBeforeTheEventsHeldMeanwhileWithoutDuplicates() {
        feed.received(event("e", 1));
        assertTrue(feed.hold());
        assertFalse(feed.hold(), "one outage, however many signs of it");
        assertEquals(0, feed.received(event("e", 4)));
        assertEquals(0, feed.received(event("e", 5)));
        assertEquals(List.of("e-1"), received(), "held back");
        assertEquals(new EventId("e", 1), feed.position());
        feed.replay(read("e", frame("e", 2), frame("e", 3), frame("e", 4)));
        assertEquals(LiveFeed.Release.DONE, feed.release());
        assertFalse(feed.holding());
        assertEquals(List.of("e-2", "e-3", "e-4", "e-5"), received());
    }

    /** A publisher's id is what the wire carries; the feed places the event by its seq all the same. */
    @Test
    void aReplayedEventWithAPublishersIdIsPlacedByItsSeqAndNotDeliveredTwice() {
        feed.received(event("e", 1));
        assertTrue(feed.hold());
        assertEquals(0, feed.received(new LiveFeed.Event("token", new EventId("e", 2),
                new Message("t", "mine", null, null, List.of(), false, "urn:mine"))));
        feed.replay(read("e", hub.frame(new EventId("e", 2), new Message("t", "mine", null, null, List.of(), false, "urn:mine"))));
        assertEquals(LiveFeed.Release.DONE, feed.release());
        assertEquals(List.of("e-1", "urn:mine"), received());
        assertEquals(new EventId("e", 2), feed.position());
    }

    @Test
    void anEventOfAnotherEpochStopsTheFeedUntilTheLossIsAnnounced() {
        feed.received(event("e", 7));
        received();
        assertEquals(-1, feed.received(event("f", 100)), "the caller starts a resync");
        assertTrue(feed.holding());
        feed.reset("t", new EventId("e", 7), new EventId("f", 100), new EventId("f", 99));
        feed.enterEpoch(new EventId("f", 0));
        feed.replay(read("f", frame("f", 100)));
        assertEquals(LiveFeed.Release.DONE, feed.release());
        assertEquals(List.of("f-99", "f-100"), received(), "the reset, then the event once");
    }

    @Test
    void aHeldEventOfYetAnotherEpochAsksForAnotherRound() {
        feed.received(event("e", 1));
        feed.hold();
        feed.received(event("e", 2));
        feed.received(event("g", 50));
        assertEquals(LiveFeed.Release.AGAIN, feed.release());
        assertTrue(feed.holding());
        assertEquals(List.of("e-1", "e-2"), received());
    }

    @Test
    void moreThanCanBeHeldIsGivenUpOnSoStreamsResumeById() {
        feed.received(event("e", 1));
        feed.hold();
        for (int i = 0; i <= LiveFeed.MAX_HELD; i++) {
            feed.received(event("e", 2 + i));
        }
        assertEquals(LiveFeed.Outcome.GAVE_UP, feed.release().outcome());
        assertFalse(feed.holding());
        assertEquals(null, feed.position());
    }

    @Test
    void largeEventsPublishedDuringAnOutageCannotExhaustMemory() {
        feed.received(event("e", 1));
        feed.hold();
        String large = "x".repeat(1 << 20);
        for (int i = 0; i <= LiveFeed.MAX_HELD_CHARS / large.length(); i++) {
            feed.received(new LiveFeed.Event("token", new EventId("e", 2 + i), new Message("t", large)));
        }
        assertEquals(LiveFeed.Outcome.GAVE_UP, feed.release().outcome());
    }

    @Test
    void withNothingDeliveredTheEarliestResumePositionMarksWhereAGapStarts() {
        feed.resumedAt(new EventId("e", 10));
        feed.resumedAt(new EventId("e", 12));
        feed.resumedAt(new EventId("e", 9));
        assertEquals(new EventId("e", 9), feed.position());
        feed.received(event("e", 11));
        assertEquals(new EventId("e", 11), feed.position());
    }

    @Test
    void withNothingDeliveredAnEventOfAnotherEpochThanAResumeReadIsHeldForTheResync() {
        feed.resumedAt(new EventId("e", 10));
        assertEquals(-1, feed.received(event("f", 1)), "the caller starts a resync");
        assertTrue(feed.holding());
        assertEquals(List.of(), received(), "nothing of the new epoch before the loss is announced");
        assertEquals(new EventId("e", 10), feed.position(), "the gap starts at the resume");
    }

    @Test
    void detachedSelectorsAreOfferedNothingDeliveredAfter() {
        Subscriber selector = selector();
        feed.received(event("e", 1));
        assertEquals(Set.of(selector), feed.detach(Subscriber::everywhere));
        feed.received(event("e", 2));
        assertEquals(List.of("e-1"), ids(selector));
        assertEquals(List.of("e-1", "e-2"), received(), "the topic's subscriber still gets everything");
    }

    /**
     * History lost part of the gap, and every stream must close: detached before the replay, no
     * subscriber is offered an event after the gap (its client would resume after it and never
     * learn of the loss); a client already back meanwhile gets the replay and what follows.
     */
    @Test
    void subscribersDetachedForALostGapAreOfferedNothingAfterIt() {
        Subscriber selector = selector();
        feed.received(event("e", 1));
        feed.hold();
        feed.received(event("e", 5));
        Set<Subscriber> detached = feed.detach(any -> true);
        Subscriber back = new Subscriber("t", 1000, () -> { });
        hub.register(back);
        feed.replay(read("e", frame("e", 4), frame("e", 5)));
        assertEquals(LiveFeed.Release.DONE, feed.release());
        feed.received(event("e", 6));
        assertEquals(List.of("e-1"), received());
        assertEquals(List.of("e-1"), ids(selector));
        assertEquals(List.of("e-4", "e-5", "e-6"), ids(back));
        assertEquals(Set.of(subscriber, selector), detached, "exactly those to close");
        assertEquals(1, hub.subscribers(), "the detached are no longer counted");
    }

    /**
     * More was published during the outage than the feed could hold: as it goes live it takes every
     * subscriber off the hub, so none is offered a live event after the dropped ones, and names
     * exactly those for their streams to close; a client back after that is not among them.
     */
    @Test
    void subscribersDetachedWhenTooMuchWasHeldAreOfferedNoLiveEventAfter() {
        Subscriber selector = selector();
        feed.received(event("e", 1));
        feed.hold();
        String large = "x".repeat(1 << 20);
        long seq = 1;
        for (int i = 0; i <= LiveFeed.MAX_HELD_CHARS / large.length(); i++) {
            feed.received(new LiveFeed.Event("token", new EventId("e", ++seq), new Message("t", large)));
        }
        LiveFeed.Release released = feed.release();
        assertEquals(LiveFeed.Outcome.GAVE_UP, released.outcome());
        feed.received(event("e", ++seq));
        Subscriber back = new Subscriber("t", 1000, () -> { });
        hub.register(back);
        feed.received(event("e", ++seq));
        assertEquals(List.of("e-1"), received());
        assertEquals(List.of("e-1"), ids(selector));
        assertEquals(List.of("e-" + seq), ids(back));
        assertEquals(Set.of(subscriber, selector), released.detached(), "exactly those to close");
    }

    private Subscriber selector() {
        Subscriber selector = Subscriber.matching(message -> true, 1000, OverflowPolicy.DROP, () -> { });
        hub.register(selector);
        return selector;
    }

    private static List<String> ids(Subscriber subscriber) {
        List<Frame> taken = new ArrayList<>();
        subscriber.drainTo(taken);
        return taken.stream().map(Frame::id).toList();
    }
}
