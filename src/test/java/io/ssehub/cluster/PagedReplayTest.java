package io.ssehub.cluster;

import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.FrameEncoder;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;
import io.ssehub.hub.Subscriber;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagedReplayTest {

    private final Hub hub = new Hub(new FrameEncoder() {
        @Override
        public byte[] encode(Message message, String id) {
            return (id + " " + message.type() + " " + message.data()).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] encodeWithTopic(Message message, String id) {
            return encode(message, id);
        }
    }, HistoryLimits.NONE, "local", System::nanoTime);
    private final AtomicBoolean broken = new AtomicBoolean();
    private final Subscriber subscriber = new Subscriber(List.of("t"), false, 100,
            io.ssehub.hub.OverflowPolicy.DROP, new Subscriber.Sink() {
                @Override
                public void framesAvailable() {
                }

                @Override
                public void replayBroken() {
                    broken.set(true);
                }
            });
    private final PagedReplay.Held held = new PagedReplay.Held();
    /** The pages the replay asked for, by the seq they start after; each answered by the test. */
    private final List<Long> asked = new ArrayList<>();
    private final List<CompletableFuture<HistoryReader.Page>> answers = new ArrayList<>();

    private Frame frame(long seq) {
        return hub.frame(new EventId("e", seq), new Message("t", "m" + seq));
    }

    private static HistoryReader.Page page(String epoch, long current, long trimmed, boolean more, Frame... frames) {
        long last = frames.length == 0 ? -1 : frames[frames.length - 1].seq();
        return new HistoryReader.Page(new History(epoch, current, List.of(frames), Map.of("t", trimmed),
                Map.of("t", true)), more, last);
    }

    private PagedReplay start(HistoryReader.Page first) {
        PagedReplay replay = new PagedReplay(hub, subscriber, after -> {
            asked.add(after);
            CompletableFuture<HistoryReader.Page> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }, false, first, first.history().frames(), held);
        hub.register(subscriber);
        subscriber.replayedThrough(first.history().current());
        subscriber.replayInPages(replay);
        return replay;
    }

    /** What the drainer would write next, as ids (and the type of a reset). */
    private List<String> take() {
        List<String> ids = new ArrayList<>();
        for (Subscriber.Queued q = subscriber.takeAll(); q != null; q = q.next()) {
            Message message = q.frame().message();
            ids.add(q.frame().id() + ("reset".equals(message.type()) ? " reset" : ""));
        }
        return ids;
    }

    @Test
    void eachPageIsReadOnlyWhenTheStreamHasWrittenTheOneBeforeAndHeldUntilThen() {
        start(page("e", 6, 0, true, frame(1), frame(2)));
        long firstPage = held.now();
        assertTrue(firstPage > 0, "the first page is held while the preamble writes it");
        assertEquals(List.of(), take());
        assertEquals(List.of(2L), asked, "the stream wrote the first page: the next is read after it");
        assertEquals(0, held.now(), "what the stream wrote is released");
        assertEquals(List.of(), take());
        assertEquals(1, asked.size(), "one page in flight");
        answers.get(0).complete(page("e", 6, 0, true, frame(3), frame(4)));
        assertTrue(held.now() > 0);
        assertEquals(List.of("e-3", "e-4"), take());
        assertEquals(List.of(), take());
        answers.get(1).complete(page("e", 6, 0, false, frame(5), frame(6)));
        hub.deliver(new EventId("e", 7), new Message("t", "m7")); // live
        assertEquals(List.of("e-5", "e-6"), take());
        assertEquals(List.of(), take(), "the empty last page ends the replay");
        assertEquals(List.of("e-7"), take());
        assertEquals(0, held.now());
        assertTrue(held.peak() >= firstPage);
        assertFalse(subscriber.replaying());
    }

    /** History lost part of the gap while the replay was sent: a reset stands in its place. */
    @Test
    void aLossWhileTheReplayIsSentIsAnnouncedWithAResetInItsPlace() {
        start(page("e", 9, 0, true, frame(1), frame(2)));
        take();
        answers.get(0).complete(page("e", 9, 5, true, frame(6), frame(7)));
        assertEquals(List.of("e-5 reset", "e-6", "e-7"), take());
    }

    /** Redis moved to another epoch: what was left of the gap is gone, and the replay ends with a reset. */
    @Test
    void anotherEpochEndsTheReplayWithAReset() {
        start(page("e", 9, 0, true, frame(1)));
        take();
        answers.get(0).complete(page("f", 20, 0, true));
        assertEquals(List.of("f-9 reset"), take());
        assertEquals(List.of(), take());
        assertEquals(List.of(), take());
        assertFalse(subscriber.replaying());
        assertEquals(1, asked.size());
    }

    @Test
    void aPageRedisDoesNotGiveClosesTheStreamSoItsClientResumes() {
        start(page("e", 9, 0, true, frame(1)));
        take();
        answers.get(0).completeExceptionally(new IllegalStateException("Redis is away"));
        assertTrue(broken.get());
    }

    @Test
    void aSubscriberThatLeavesReleasesItsPageAndAPageStillComingIsDropped() {
        PagedReplay replay = start(page("e", 9, 0, true, frame(1)));
        take();
        replay.close();
        answers.get(0).complete(page("e", 9, 0, true, frame(2)));
        assertEquals(0, held.now());
        assertEquals(List.of(), take());
    }
}
