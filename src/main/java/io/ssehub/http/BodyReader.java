package io.ssehub.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body with a hard cap. A body over the cap is refused with 413 and never
 * buffered: its rest is read and thrown away up to {@link #SWALLOW_LIMIT} bytes, so the client,
 * still sending, reliably gets the answer instead of a connection reset; beyond that the answer
 * goes out with {@code Connection: close} and the container drops the connection.
 */
public final class BodyReader {

    /** Bytes of an oversized body discarded before answering; keeps the 413 readable by the client. */
    static final long SWALLOW_LIMIT = 2L * 1024 * 1024;

    private BodyReader() {
    }

    /** @throws ProblemException 413 when the body is larger than {@code limit} bytes */
    public static byte[] read(HttpServletRequest request, int limit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            if (declared <= SWALLOW_LIMIT) {
                try (InputStream in = request.getInputStream()) {
                    discard(in, SWALLOW_LIMIT);
                }
            }
            throw ProblemException.payloadTooLarge(limit);
        }
        byte[] buffer = new byte[declared >= 0 ? (int) declared : Math.min(limit, 8192)];
        int length = 0;
        try (InputStream in = request.getInputStream()) {
            while (true) {
                if (length == buffer.length) {
                    // Full: usually the declared length was exact and the body has ended.
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    if (length >= limit) {
                        discard(in, SWALLOW_LIMIT);
                        throw ProblemException.payloadTooLarge(limit);
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(8192, length * 2)));
                    buffer[length++] = (byte) next;
                    continue;
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
            }
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    /**
     * Reads and drops the body of a request that is refused before its body is looked at, so the
     * client, still sending, gets the answer rather than a reset. At most {@code max} bytes are
     * read; a longer body is answered with {@code Connection: close}.
     */
    public static void skip(HttpServletRequest request, HttpServletResponse response, int max) {
        try (InputStream in = request.getInputStream()) {
            if (discard(in, max) == 0 && in.read() >= 0) {
                response.setHeader("Connection", "close");
            }
        } catch (IOException e) {
            response.setHeader("Connection", "close"); // the client is gone or broke the body
        }
    }

    /** Reads and drops at most {@code max} bytes, stopping early at the end of the body; returns what was left of {@code max}. */
    private static long discard(InputStream in, long max) throws IOException {
        byte[] sink = new byte[8192];
        long left = max;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
            left -= n;
        }
        return left;
    }
}
