package io.ssehub.bench.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Collects an HTTP/1.1 response's status line and headers from bytes that arrive in pieces.
 *
 * <p>Contract: call {@link #feed} until it returns a non-negative value, the offset of the first
 * body byte in that call's input; then {@link #status()}, {@link #chunked()} and
 * {@link #contentLength()} describe the response. Heads over {@value #MAX_HEAD} bytes are rejected
 * with an {@link IllegalStateException}. Not thread-safe.
 */
public final class ResponseHead {

    static final int MAX_HEAD = 64 * 1024;

    private byte[] head = new byte[512];
    private int length;
    private boolean complete;
    private int status;
    private boolean chunked;
    private long contentLength = -1;
    private boolean connectionClose;

    /**
     * @return the index in {@code bytes} where the body starts, or -1 if the head is still incomplete
     */
    public int feed(byte[] bytes, int offset, int count) {
        if (complete) {
            throw new IllegalStateException("the head is already complete");
        }
        for (int i = offset; i < offset + count; i++) {
            if (length == head.length) {
                if (length >= MAX_HEAD) {
                    throw new IllegalStateException("response head larger than " + MAX_HEAD + " bytes");
                }
                head = Arrays.copyOf(head, length * 2);
            }
            head[length++] = bytes[i];
            if (length >= 4 && head[length - 1] == '\n' && head[length - 2] == '\r'
                    && head[length - 3] == '\n' && head[length - 4] == '\r') {
                parse();
                complete = true;
                return i + 1;
            }
        }
        return -1;
    }

    private void parse() {
        String text = new String(head, 0, length - 4, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IllegalStateException("not an HTTP response: " + lines[0]);
        }
        status = Integer.parseInt(statusLine[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("connection") && value.toLowerCase(Locale.ROOT).contains("close")) {
                connectionClose = true;
            } else if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            }
        }
    }

    public boolean complete() {
        return complete;
    }

    public int status() {
        return status;
    }

    public boolean chunked() {
        return chunked;
    }

    /** Whether the server said {@code Connection: close}: no further request may use the connection. */
    public boolean connectionClose() {
        return connectionClose;
    }

    /** The declared body length, or -1 when the response had no Content-Length. */
    public long contentLength() {
        return contentLength;
    }
}
