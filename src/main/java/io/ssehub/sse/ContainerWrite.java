package io.ssehub.sse;

import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * How a stream hands its bytes to the container: on Jetty through the output stream's
 * {@code write(ByteBuffer)}, elsewhere through {@code write(byte[])}.
 *
 * <p>Jetty copies a small {@code write(byte[])} into an aggregation buffer that it takes from its
 * pool on the first write and gives back only when the response completes, so every open stream
 * would hold one (4 KiB, its pool's smallest) for its whole life. Its {@code write(ByteBuffer)}
 * (Jetty 12's own, standard from Servlet 6.1) writes the bytes through instead, in pieces of at
 * most the response's buffer size. The other containers gain nothing from it: Tomcat copies either
 * kind into its buffer, and Undertow 2.3's {@code write(ByteBuffer)} corrupted the body when a
 * non-blocking write did not finish at once (2 KiB of zeros in an 8 KiB frame), where its
 * {@code write(byte[])} does not.
 *
 * <p>The method is looked up once per output stream class; ssehub compiles against Servlet 6.0,
 * which does not declare it.
 */
final class ContainerWrite {

    /** Where {@code write(ByteBuffer)} is used: the packages of the containers it is known to help. */
    private static final String WRITES_BUFFERS_IN = "org.eclipse.jetty.";

    private static final ContainerWrite ARRAYS = new ContainerWrite(null);

    private static final ClassValue<ContainerWrite> BY_CLASS = new ClassValue<>() {
        @Override
        protected ContainerWrite computeValue(Class<?> type) {
            return type.getName().startsWith(WRITES_BUFFERS_IN) ? byteBuffers(type) : ARRAYS;
        }
    };

    /** The output stream's {@code write(ByteBuffer)}, or {@code null} to use {@code write(byte[])}. */
    private final MethodHandle writeBuffer;

    private ContainerWrite(MethodHandle writeBuffer) {
        this.writeBuffer = writeBuffer;
    }

    /** How to write to {@code out}. */
    static ContainerWrite of(ServletOutputStream out) {
        return of(out.getClass());
    }

    /** How to write to an output stream of class {@code type}. */
    static ContainerWrite of(Class<?> type) {
        return BY_CLASS.get(type);
    }

    /** Writes through {@code type}'s public {@code write(ByteBuffer)}, or arrays when it has none. */
    static ContainerWrite byteBuffers(Class<?> type) {
        try {
            return new ContainerWrite(MethodHandles.publicLookup()
                    .findVirtual(type, "write", MethodType.methodType(void.class, ByteBuffer.class))
                    .asType(MethodType.methodType(void.class, ServletOutputStream.class, ByteBuffer.class)));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return ARRAYS; // none, or not public
        }
    }

    /** Whether bytes go through the container's {@code write(ByteBuffer)}. */
    boolean writesBuffers() {
        return writeBuffer != null;
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
