/**
 * Server-Sent Events on the wire.
 *
 * <p>{@link io.ssehub.sse.SseEncoder} is the wire format (plain Java, no servlet types).
 * {@link io.ssehub.sse.SseStream} is one stream's whole life, NEW, OPEN (its writer's states),
 * CLOSED: it owns the asynchronous response from the opener's hand-over on, drains one
 * subscriber's queue onto it with non-blocking writes, and reaches CLOSED once, releasing
 * everything the stream held. What it writes next (preamble, frames, keep-alives, probes, last
 * words) is decided by its {@code StreamFeed}, the policy to its mechanism; {@code InputWatch}
 * reads whatever the client sends on its stream request, and discards it within a limit. Bytes go
 * out as {@link io.ssehub.sse.ContainerOutput} finds best for the container (on Jetty through its
 * {@code write(ByteBuffer)}); {@link io.ssehub.sse.Container} is the one judgement of which
 * container a request or stream belongs to, for everything here and in {@code io.ssehub.http}
 * that a container needs done its own way. {@link io.ssehub.sse.WriterPool} runs the drains,
 * each stream always on the same one of a few writer threads; {@link io.ssehub.sse.StreamRegistry}
 * knows every open stream and its admission, for keep-alives, probes, deadlines and the server's
 * mass closes (resync, maximum lifetime, shutdown), which it spreads with jittered {@code retry:}
 * hints off the caller's thread.
 *
 * <p>May use: {@code io.ssehub.hub}, the servlet API, SLF4J.
 */
package io.ssehub.sse;
