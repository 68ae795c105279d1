package io.ssehub.bench.http;

/**
 * Finds the end of one HTTP/1.1 response in bytes that arrive in pieces, for a client that reads
 * answers it does not need the body of: the head goes to a {@link ResponseHead}, then the body is
 * skipped by its Content-Length or its chunked coding ({@link ChunkedDecoder}); 204 and 304 have
 * no body.
 *
 * <p>Contract: call {@link #feed} until {@link #complete()}; each call returns how many bytes it
 * took, which is fewer than offered only when the response ended among them, so the rest belongs
 * to what follows on the connection. A response with neither Content-Length nor chunked coding (its
 * end would only be the connection's) and a malformed head or chunk size throw
 * {@link IllegalStateException} (or {@link NumberFormatException} for a bad number). One instance
 * a response; not thread-safe.
 */
public final class ResponseReader {

    private static final ChunkedDecoder.Output DISCARD = (bytes, offset, length) -> { };

    private final ResponseHead head = new ResponseHead();
    private ChunkedDecoder chunks;
    private long remaining;
    private boolean complete;

    /**
     * @return how many bytes from {@code offset} belong to this response
     */
    public int feed(byte[] bytes, int offset, int length) {
        if (complete) {
            throw new IllegalStateException("the response is already complete");
        }
        int i = offset;
        int end = offset + length;
        if (!head.complete()) {
            i = head.feed(bytes, offset, length);
            if (i < 0) {
                return length;
            }
            frameBody();
        }
        if (chunks != null) {
            i += chunks.feed(bytes, i, end - i);
            complete = chunks.finished();
        } else {
            int n = (int) Math.min(remaining, end - i);
            i += n;
            remaining -= n;
            complete = remaining == 0;
        }
        return i - offset;
    }

    private void frameBody() {
        int status = head.status();
        if (status == 204 || status == 304) {
            remaining = 0;
        } else if (head.chunked()) {
            chunks = new ChunkedDecoder(DISCARD);
        } else if (head.contentLength() >= 0) {
            remaining = head.contentLength();
        } else {
            throw new IllegalStateException("response without length on a keep-alive connection");
        }
    }

    /** Whether the whole response, head and body, has been fed. */
    public boolean complete() {
        return complete;
    }

    /** The response's head: status and headers, valid once {@link ResponseHead#complete()}. */
    public ResponseHead head() {
        return head;
    }
}
