package io.ssehub.web;

import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body with a hard cap. A declared {@code Content-Length} over the cap is refused
 * before a byte is read; an undeclared (chunked) body is refused as soon as it passes the cap, so
 * the rest is never buffered.
 */
final class BodyReader {

    private BodyReader() {
    }

    /** @throws ProblemException 413 when the body is larger than {@code limit} bytes */
    static byte[] read(HttpServletRequest request, int limit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw ProblemException.payloadTooLarge(limit);
        }
        byte[] buffer = new byte[declared >= 0 ? (int) declared : Math.min(limit, 8192)];
        int length = 0;
        try (InputStream in = request.getInputStream()) {
            while (true) {
                if (length == buffer.length) {
                    if (length >= limit) {
                        if (in.read() < 0) {
                            break;
                        }
                        throw ProblemException.payloadTooLarge(limit);
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(8192, length * 2)));
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
}
