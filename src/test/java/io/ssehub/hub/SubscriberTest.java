package io.ssehub.hub;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriberTest {

    private final Subscriber subscriber = new Subscriber("t", 3, () -> { });

    private static Frame frame(long seq) {
        Message message = new Message("t", "m" + seq);
        return new Frame(seq, "e-" + seq, message, ("data: m" + seq + "\n\n").getBytes(StandardCharsets.UTF_8), 0,
                new TestEncoder());
    }

    private static List<Long> seqs(Subscriber.Queued chain) {
        List<Long> seqs = new ArrayList<>();
        for (Subscriber.Queued q = chain; q != null; q = q.next()) {
            seqs.add(q.frame().seq());
        }
        return seqs;
    }

    @Test
    void takesEveryQueuedFrameOldestFirst() {
        for (long seq = 1; seq <= 3; seq++) {
            assertEquals(Subscriber.Offer.QUEUED, subscriber.offer(frame(seq)));
        }
        assertTrue(subscriber.hasFrames());
        assertEquals(List.of(1L, 2L, 3L), seqs(subscriber.takeAll()));
        assertFalse(subscriber.hasFrames());
        assertNull(subscriber.takeAll());
    }

    @Test
    void aFullQueueDropsTheNewFrameAndTakingFreesItsRoom() {
        for (long seq = 1; seq <= 3; seq++) {
            subscriber.offer(frame(seq));
        }
        assertEquals(Subscriber.Offer.QUEUE_FULL, subscriber.offer(frame(4)));
        assertEquals(1, subscriber.dropped());
        assertEquals(4L, subscriber.takeGap().first().seq());
        assertEquals(List.of(1L, 2L, 3L), seqs(subscriber.takeAll()));
        assertEquals(Subscriber.Offer.QUEUED, subscriber.offer(frame(5)));
        assertEquals(List.of(5L), seqs(subscriber.takeAll()));
    }

    /**
     * Frames dropped for a full queue form one run until the drainer takes it to report it: the
     * frames after the first dropped one are dropped too, even once there is room, so the report
     * names one range and comes right before the next frame delivered.
     */
    @Test
    void droppedFramesFormOneGapUntilItIsTakenAndThenFramesAreQueuedAgain() {
        for (long seq = 1; seq <= 3; seq++) {
            subscriber.offer(frame(seq));
        }
        assertEquals(Subscriber.Offer.QUEUE_FULL, subscriber.offer(frame(4)));
        assertEquals(List.of(1L, 2L, 3L), seqs(subscriber.takeAll()));
        assertEquals(Subscriber.Offer.QUEUE_FULL, subscriber.offer(frame(5)), "still in the gap, though there is room");
        assertTrue(subscriber.hasFrames(), "a gap waits to be reported");

        Subscriber.Gap gap = subscriber.takeGap();
        assertEquals(4L, gap.first().seq());
        assertEquals(5L, gap.last().seq());
        assertEquals(2, gap.count());
        assertEquals(2, subscriber.dropped());
        assertNull(subscriber.takeGap());
        assertFalse(subscriber.hasFrames());
        assertEquals(Subscriber.Offer.QUEUED, subscriber.offer(frame(6)));
        assertEquals(List.of(6L), seqs(subscriber.takeAll()));
    }

    @Test
    void framesQueuedLiveBeforeTheReplayWasKnownAreLeftOut() {
        for (long seq = 1; seq <= 3; seq++) {
            subscriber.offer(frame(seq));
        }
        subscriber.replayedThrough(2);
        assertEquals(List.of(3L), seqs(subscriber.takeAll()));
        for (long seq = 4; seq <= 6; seq++) {
            assertEquals(Subscriber.Offer.QUEUED, subscriber.offer(frame(seq)), "the left-out frames freed their room");
        }
        assertEquals(Subscriber.Offer.REPLAYED, subscriber.offer(frame(2)));
    }

    /**
     * A replay sent in pages comes before every live frame queued meanwhile, and the next page is
     * asked for only when the drainer found none waiting: one page in flight at a time.
     */
    @Test
    void aReplayInPagesComesBeforeLiveFramesOnePageAtATime() {
        Subscriber paged = new Subscriber("t", 10, () -> { });
        List<String> asked = new ArrayList<>();
        paged.replayedThrough(4);
        paged.replayInPages(() -> asked.add("next"));
        paged.offer(frame(5)); // live, after the replay's end
        assertFalse(paged.hasFrames(), "live frames wait while the replay lasts");
        assertNull(paged.takeAll());
        assertEquals(1, asked.size());
        assertNull(paged.takeAll());
        assertEquals(1, asked.size(), "one page asked for at a time");
        paged.page(List.of(frame(1), frame(2)), false);
        assertTrue(paged.hasFrames());
        assertEquals(List.of(1L, 2L), seqs(paged.takeAll()));
        assertTrue(paged.replaying());
        assertNull(paged.takeAll());
        assertEquals(2, asked.size());
        paged.page(List.of(frame(3), frame(4)), true);
        assertEquals(List.of(3L, 4L), seqs(paged.takeAll()));
        assertFalse(paged.replaying());
        assertEquals(List.of(5L), seqs(paged.takeAll()));
        assertEquals(2, asked.size());
    }

    /** Live frames dropped while a replay lasts are reported after it, not among its pages. */
    @Test
    void aGapOpenedDuringAPagedReplayIsReportedAfterIt() {
        Subscriber paged = new Subscriber("t", 1, () -> { });
        paged.replayedThrough(1);
        paged.replayInPages(() -> { });
        paged.offer(frame(2));
        assertEquals(Subscriber.Offer.QUEUE_FULL, paged.offer(frame(3)));
        assertNull(paged.takeGap());
        assertNull(paged.takeAll());
        paged.page(List.of(frame(1)), true);
        assertNull(paged.takeGap());
        assertEquals(List.of(1L), seqs(paged.takeAll()));
        assertEquals(3L, paged.takeGap().first().seq());
        assertEquals(List.of(2L), seqs(paged.takeAll()));
    }

    /** An empty last page ends the replay at once: the live frames follow in the same take. */
    @Test
    void anEmptyLastPageLetsTheLiveFramesThrough() {
        Subscriber paged = new Subscriber("t", 10, () -> { });
        paged.replayInPages(() -> { });
        paged.offer(frame(7));
        assertNull(paged.takeAll());
        paged.page(List.of(), true);
        assertEquals(List.of(7L), seqs(paged.takeAll()));
    }
}
