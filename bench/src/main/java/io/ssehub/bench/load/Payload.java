package io.ssehub.bench.load;

/**
 * The text of a benchmark message. A measured message is {@code m:<seq>:<sendNanos>}, where
 * {@code sendNanos} is the publisher's {@link System#nanoTime()} just before the request was
 * written (publishers and subscribers share one JVM, so receivers subtract it from their own clock).
 * A warm-up message is {@code w:<n>}; it only proves that a subscriber is registered.
 */
public final class Payload {

    /** What {@link #parse} found; {@code seq} and {@code sendNanos} are valid for {@link Kind#MEASURED}. */
    public enum Kind { MEASURED, WARMUP, MALFORMED }

    private Payload() {
    }

    public static String measured(long seq, long sendNanos) {
        return "m:" + seq + ":" + sendNanos;
    }

    public static String warmup(long n) {
        return "w:" + n;
    }

    /** A reusable parse result, so the receiving hot path allocates nothing. */
    public static final class Parsed {
        public Kind kind;
        public long seq;
        public long sendNanos;
    }

    /** Parses the UTF-8 data of an event into {@code into}. */
    public static void parse(byte[] data, int length, Parsed into) {
        into.kind = Kind.MALFORMED;
        if (length < 3 || data[1] != ':') {
            return;
        }
        if (data[0] == 'w') {
            into.kind = Kind.WARMUP;
            return;
        }
        if (data[0] != 'm') {
            return;
        }
        int i = 2;
        long seq = 0;
        int digits = 0;
        while (i < length && data[i] >= '0' && data[i] <= '9') {
            seq = seq * 10 + (data[i++] - '0');
            digits++;
        }
        if (digits == 0 || i >= length || data[i] != ':') {
            return;
        }
        i++;
        boolean negative = i < length && data[i] == '-';
        if (negative) {
            i++;
        }
        long nanos = 0;
        digits = 0;
        while (i < length && data[i] >= '0' && data[i] <= '9') {
            nanos = nanos * 10 + (data[i++] - '0');
            digits++;
        }
        if (digits == 0 || i != length) {
            return;
        }
        into.kind = Kind.MEASURED;
        into.seq = seq;
        into.sendNanos = negative ? -nanos : nanos;
    }
}
