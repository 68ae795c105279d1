/**
 * The publish/subscribe core: topics, subscribers with bounded queues, and fan-out.
 *
 * <p>Pure Java with no servlet, network or metrics types. A {@link io.ssehub.hub.Hub} turns a
 * {@link io.ssehub.hub.Message} into one immutable {@link io.ssehub.hub.Frame} (encoded once by a
 * {@link io.ssehub.hub.FrameEncoder} supplied by the wiring) and offers that same frame to every
 * {@link io.ssehub.hub.Subscriber} of the topic. A subscriber's queue is bounded; the hub never
 * waits for a consumer, it only enqueues and signals the subscriber's {@link
 * io.ssehub.hub.Subscriber.Sink}. Whoever implements the sink (the SSE stream) drains the queue on
 * its own thread. A {@link io.ssehub.hub.HubObserver}, set once by the wiring, is told what the
 * hub does (for metrics) without the hub knowing who listens.
 *
 * <p>What every publisher must respect before a message reaches a {@link io.ssehub.hub.Broker}
 * lives here too, defined once for the HTTP front end and the Java API ({@code io.ssehub.api}):
 * {@link io.ssehub.hub.PublishRules} (topic syntax, event type, retry, batch size),
 * {@link io.ssehub.hub.TopicQuota} (the most topics a node holds),
 * {@link io.ssehub.hub.IdempotencyKey} (what makes a retried publish one publish; a local node
 * remembers them in {@link io.ssehub.hub.IdempotencyKeys}) and
 * {@link io.ssehub.hub.Broker#await} (how long a caller waits for the broker).
 *
 * <p>May use: the JDK only.
 */
package io.ssehub.hub;
