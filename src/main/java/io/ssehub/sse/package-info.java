/**
 * Server-Sent Events on the wire.
 *
 * <p>{@link io.ssehub.sse.SseEncoder} is the wire format (plain Java, no servlet types);
 * {@link io.ssehub.sse.SseStream} drains one subscriber's queue onto one asynchronous servlet
 * response with non-blocking writes, handing its bytes over as {@link io.ssehub.sse.ContainerOutput}
 * finds best for the container (on Jetty through its {@code write(ByteBuffer)});
 * {@link io.ssehub.sse.WriterPool} runs those drains, each stream always on the same one of a few
 * writer threads; {@link io.ssehub.sse.StreamRegistry} knows every open stream for keep-alives and
 * shutdown.
 *
 * <p>May use: {@code io.ssehub.hub}, the servlet API, SLF4J.
 */
package io.ssehub.sse;
