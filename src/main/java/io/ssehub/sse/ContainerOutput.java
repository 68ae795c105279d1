package io.ssehub.sse;

import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * What ssehub knows of a container's response output stream: how a stream hands it bytes, and
 * what response buffer suits a stream there ({@code ssehub.stream.buffer=auto}). Looked up once
 * per output stream class.
 *
 * <p><b>Jetty</b> copies a small {@code write(byte[])} into an aggregation buffer that it takes
 * from its pool on the first write and gives back only when the response completes, so every open
 * stream would hold one (4 KiB, its pool's smallest) for its whole life. Its
 * {@code write(ByteBuffer)} (Jetty 12's own, standard from Servlet 6.1; ssehub compiles against
 * 6.0, so it is found by name) writes the bytes through instead, in pieces of at most the
 * response's buffer size, and sends them at once, so a stream does not flush after it. The buffer
 * then costs nothing, so a stream asks for 32 KiB: with 2 KiB pieces the benchmark's fan-out flat
 * out made a quarter fewer deliveries per second. Each write (each piece) is one HTTP/1.1 chunk, and
 * Jetty's {@code HttpGenerator} sends a chunk's terminating CRLF only at the start of the next chunk
 * (or with the last one), whatever the write or a flush: a client that reads that CRLF before it
 * hands the chunk's data on, as urllib3 does (so Python's {@code requests}), would get each batch
 * only with the next. So a stream ends its chunks itself ({@link #holdsChunkEnds()},
 * {@link SseStream#endChunks()}). A body delimited by the end of the connection instead
 * ({@code Connection: close}) would be no cure: urllib3 reads such a body in blocks, and waits for
 * 512 bytes under {@code requests}' {@code iter_lines}.
 *
 * <p><b>Undertow</b> allocates exactly the buffer asked for, per stream, and writes what does not
 * fit straight through, so a stream asks for none, and writes it byte arrays: its
 * {@code write(ByteBuffer)} copies as {@code write(byte[])} does, and in 2.3 corrupted the body when
 * a non-blocking write did not finish at once (2 KiB of zeros inside an 8 KiB frame).
 *
 * <p><b>Elsewhere</b> (Tomcat, which never goes below its own 8 KiB) the container's own buffer is
 * left as it is, and byte arrays are written.
 */
public final class ContainerOutput {

    /** {@link #autoBufferBytes} when the container's own buffer size is best left alone. */
    public static final int CONTAINER_DEFAULT = -1;

    private static final ContainerOutput OTHER = new ContainerOutput(null, CONTAINER_DEFAULT, false);

    private static final ClassValue<ContainerOutput> BY_CLASS = new ClassValue<>() {
        @Override
        protected ContainerOutput computeValue(Class<?> type) {
            return switch (Container.of(type)) {
                case JETTY -> new ContainerOutput(bufferWrite(type), 32 * 1024, true);
                case UNDERTOW -> new ContainerOutput(null, 0, false);
                case TOMCAT, OTHER -> OTHER;
            };
        }
    };

    /** The output stream's {@code write(ByteBuffer)}, or {@code null} to use {@code write(byte[])}. */
    private final MethodHandle writeBuffer;
    private final int autoBufferBytes;
    private final boolean holdsChunkEnds;

    private ContainerOutput(MethodHandle writeBuffer, int autoBufferBytes, boolean holdsChunkEnds) {
        this.writeBuffer = writeBuffer;
        this.autoBufferBytes = autoBufferBytes;
        this.holdsChunkEnds = holdsChunkEnds;
    }

    /** What is known of {@code out}'s container. */
    public static ContainerOutput of(ServletOutputStream out) {
        return of(out.getClass());
    }

    /** What is known of the container whose output streams are of class {@code type}. */
    static ContainerOutput of(Class<?> type) {
        return BY_CLASS.get(type);
    }

    /** Writes through {@code type}'s public {@code write(ByteBuffer)}, or arrays when it has none (tests). */
    static ContainerOutput byteBuffers(Class<?> type) {
        return new ContainerOutput(bufferWrite(type), CONTAINER_DEFAULT, false);
    }

    /** {@code type}'s public {@code write(ByteBuffer)}, or {@code null} when it has none. */
    private static MethodHandle bufferWrite(Class<?> type) {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(type, "write", MethodType.methodType(void.class, ByteBuffer.class))
                    .asType(MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // none, or not public
        }
    }

    /** The response buffer a stream asks for, in bytes, or {@link #CONTAINER_DEFAULT} to ask for none. */
    public int autoBufferBytes() {
        return autoBufferBytes;
    }

    /**
     * Whether, in a chunked response, the container sends a chunk's terminating CRLF only with the
     * next chunk (Jetty), so that a stream must end its chunks itself ({@link SseStream#endChunks()}).
     * Tomcat and Undertow send each chunk whole.
     */
    public boolean holdsChunkEnds() {
        return holdsChunkEnds;
    }

    /** Whether bytes go through the container's {@code write(ByteBuffer)}. */
    boolean writesBuffers() {
        return writeBuffer != null;
    }

    /**
     * Whether written bytes wait in the container's buffer for a {@code flush()}. Not when they go
     * through {@code write(ByteBuffer)}, which ssehub uses only where it sends them at once (Jetty):
     * there a flush would run the container's whole write path again, allocating as much as the
     * write did, to send nothing.
     */
    boolean waitsForFlush() {
        return writeBuffer == null;
    }

    /** Writes {@code bytes} to {@code out}; they must not change afterwards: the container may keep them until sent. */
    void write(ServletOutputStream out, byte[] bytes) throws IOException {
        if (writeBuffer == null) {
            out.write(bytes);
            return;
        }
        try {
            writeBuffer.invokeExact(out, ByteBuffer.wrap(bytes));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
