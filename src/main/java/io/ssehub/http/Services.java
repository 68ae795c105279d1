package io.ssehub.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.auth.AccessPolicy;
import io.ssehub.hub.Broker;
import io.ssehub.hub.Hub;
import io.ssehub.hub.OverflowPolicy;
import io.ssehub.sse.StreamRegistry;
import io.ssehub.sse.WriterPool;

import java.util.List;

/**
 * What the web front end needs, built by the application wiring and published as the servlet
 * context attribute {@link #ATTRIBUTE} before any servlet starts.
 *
 * @param hub            the hub: this node's topics and subscribers
 * @param broker         where events are published and subscriptions attached (local or a backplane)
 * @param streams        every open stream
 * @param writers        runs stream drains, each stream on its own lane
 * @param json           the shared, configured Jackson mapper
 * @param limits         the request limits
 * @param operations     readiness, publishes in flight, metrics
 * @param access         who may publish and subscribe
 * @param routeSets      further front ends' routes (the Mercure protocol)
 * @param pageLinks      {@code Link} header values sent with the console page (discovery)
 * @param clientLimits   what one client may cost
 */
public record Services(Hub hub, Broker broker, StreamRegistry streams, WriterPool writers, ObjectMapper json, Limits limits,
                       Operations operations, AccessPolicy access, List<RouteSet> routeSets, List<String> pageLinks,
                       ClientLimits clientLimits) {

    public static final String ATTRIBUTE = Services.class.getName();

    /**
     * @param maxBodyBytes       the largest request body read
     * @param maxTopicLength     the longest topic name of the seed API
     * @param queueCapacity      frames a subscriber may have waiting
     * @param overflow           what happens to a subscriber whose queue is full
     * @param maxTopicsPerStream topics one {@code GET /events?topic=...} stream may ask for
     * @param maxBatch           messages one {@code POST /publish} array may carry
     * @param streamBufferBytes  the response buffer each stream asks for; negative: what suits the
     *                           container ({@link io.ssehub.sse.ContainerOutput#autoBufferBytes()})
     */
    public record Limits(int maxBodyBytes, int maxTopicLength, int queueCapacity, OverflowPolicy overflow,
                         int maxTopicsPerStream, int maxBatch, int streamBufferBytes) {
    }
}
