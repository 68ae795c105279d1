package io.ssehub.hub;

/** What happens to a subscriber whose queue is full when a frame arrives. */
public enum OverflowPolicy {
    /** The frame is dropped for this subscriber and counted; the stream goes on (the seed's behaviour). */
    DROP,
    /**
     * The frame is refused and the subscriber stops receiving: its stream writes what it already
     * has queued and is then closed, so the client reconnects with its {@code Last-Event-ID} and
     * history replays the rest, without a gap while history covers it.
     */
    DISCONNECT
}
