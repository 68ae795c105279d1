package io.ssehub.hub;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The idempotency keys one node remembers, for the local backplane: each for {@code ttl} after its
 * first publish, at most {@code max} of them (the oldest are forgotten first), so memory stays
 * bounded whatever publishers send.
 *
 * <p>Thread-safe. Two requests with one key at once publish once: the second waits for the first
 * and gets its answer.
 */
public final class IdempotencyKeys {

    private final long ttlNanos;
    private final int max;
    private final LongSupplier nanoClock;
    /** In insertion order, which with one TTL for all is also expiry order. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    private static final class Entry {
        final String fingerprint;
        final long expiresNanos;
        List<PublishResult> results;

        Entry(String fingerprint, long expiresNanos) {
            this.fingerprint = fingerprint;
            this.expiresNanos = expiresNanos;
        }
    }

    public IdempotencyKeys(Duration ttl, int max, LongSupplier nanoClock) {
        if (max < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("idempotency keys need a positive ttl and capacity");
        }
        this.ttlNanos = ttl.toNanos();
        this.max = max;
        this.nanoClock = nanoClock;
    }

    /**
     * Publishes with {@code publish} the first time the key is seen (or after it was forgotten);
     * a repeat gets the first results again, each with {@code delivered} 0 (it reached nobody).
     *
     * @throws IdempotencyConflictException the key was seen with other messages
     */
    public List<PublishResult> once(IdempotencyKey key, Supplier<List<PublishResult>> publish) {
        Entry entry = entry(key);
        synchronized (entry) {
            if (!entry.fingerprint.equals(key.fingerprint())) {
                throw new IdempotencyConflictException();
            }
            if (entry.results != null) {
                return repeated(entry.results);
            }
            try {
                entry.results = publish.get();
                return entry.results;
            } finally {
                if (entry.results == null) {
                    forget(key.key(), entry); // nothing was published: a retry may try again
                }
            }
        }
    }

    /** The results a repeat of a publish gets: the same ids, reaching nobody. */
    public static List<PublishResult> repeated(List<PublishResult> first) {
        return first.stream().map(r -> new PublishResult(r.topic(), 0, r.id())).toList();
    }

    private synchronized Entry entry(IdempotencyKey key) {
        long now = nanoClock.getAsLong();
        Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
        while (oldest.hasNext()) {
            Entry e = oldest.next().getValue();
            if (now - e.expiresNanos < 0 && entries.size() < max) {
                break;
            }
            oldest.remove();
        }
        return entries.computeIfAbsent(key.key(), k -> new Entry(key.fingerprint(), now + ttlNanos));
    }

    private synchronized void forget(String key, Entry entry) {
        entries.remove(key, entry);
    }

    /** Keys remembered now. */
    public synchronized int size() {
        return entries.size();
    }
}
