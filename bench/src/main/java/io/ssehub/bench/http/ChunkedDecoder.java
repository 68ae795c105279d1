package io.ssehub.bench.http;

/**
 * Removes HTTP/1.1 chunked transfer coding from bytes that arrive in pieces and passes the chunk
 * data on. Chunk extensions and trailers are skipped. After the last (zero-size) chunk and its
 * trailer, {@link #finished()} is true and further input is left unused: {@link #feed} says how many
 * bytes it took, so what follows the body (the next response on a keep-alive connection) is not
 * lost. A malformed size line throws {@link IllegalStateException}. Not thread-safe.
 */
public final class ChunkedDecoder {

    /** Where decoded body bytes go. */
    @FunctionalInterface
    public interface Output {
        void accept(byte[] bytes, int offset, int length);
    }

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, DONE }

    private final Output output;
    private State state = State.SIZE;
    private long remaining;
    private int sizeDigits;
    private boolean trailerLineEmpty = true;

    public ChunkedDecoder(Output output) {
        this.output = output;
    }

    public boolean finished() {
        return state == State.DONE;
    }

    /**
     * @return how many of the bytes belong to the body: all of them, unless it ended among them
     */
    public int feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (state) {
                case DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    output.accept(bytes, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case SIZE -> {
                    byte b = bytes[i++];
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        if (++sizeDigits > 15) {
                            throw new IllegalStateException("chunk size too large");
                        }
                        remaining = remaining * 16 + digit;
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = State.EXTENSION;
                    } else if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (b == '\n') {
                        sizeDone();
                    } else {
                        throw new IllegalStateException("bad chunk size byte " + b);
                    }
                }
                case EXTENSION -> {
                    byte b = bytes[i++];
                    if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (b == '\n') {
                        sizeDone();
                    }
                }
                case SIZE_LF -> {
                    if (bytes[i++] != '\n') {
                        throw new IllegalStateException("CR without LF after chunk size");
                    }
                    sizeDone();
                }
                case DATA_CR -> {
                    byte b = bytes[i++];
                    if (b == '\r') {
                        state = State.DATA_LF;
                    } else if (b == '\n') {
                        state = State.SIZE;
                    } else {
                        throw new IllegalStateException("chunk data not followed by CRLF");
                    }
                }
                case DATA_LF -> {
                    if (bytes[i++] != '\n') {
                        throw new IllegalStateException("chunk data not followed by CRLF");
                    }
                    state = State.SIZE;
                }
                case TRAILER -> {
                    byte b = bytes[i++];
                    if (b == '\r') {
                        state = State.TRAILER_LF;
                    } else if (b == '\n') {
                        trailerLineDone();
                    } else {
                        trailerLineEmpty = false;
                    }
                }
                case TRAILER_LF -> {
                    i++;
                    trailerLineDone();
                }
                case DONE -> {
                    return i - offset;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
        return i - offset;
    }

    private void sizeDone() {
        if (sizeDigits == 0) {
            throw new IllegalStateException("empty chunk size");
        }
        sizeDigits = 0;
        if (remaining == 0) {
            state = State.TRAILER;
            trailerLineEmpty = true;
        } else {
            state = State.DATA;
        }
    }

    private void trailerLineDone() {
        if (trailerLineEmpty) {
            state = State.DONE;
        } else {
            trailerLineEmpty = true;
            state = State.TRAILER;
        }
    }
}
