/**
 * The Java API: how the web application ssehub runs in (a host that embeds it with the embedding
 * jar, or code deployed beside the WAR's classes) publishes from its own code, without an HTTP
 * round trip to itself and without a credential. {@link io.ssehub.api.SseHub} is the contract and
 * says how to obtain it; {@link io.ssehub.api.Publication}, {@link io.ssehub.api.Receipt},
 * {@link io.ssehub.api.TopicStatus} and {@link io.ssehub.api.HubUnavailableException} are its
 * vocabulary; {@link io.ssehub.api.BrokerSseHub} is what the application wiring builds over the
 * broker that {@code POST /publish} uses, with the same rules ({@link io.ssehub.hub.PublishRules},
 * {@link io.ssehub.hub.TopicQuota}), ids, history and metrics.
 *
 * <p>What a host sees uses JDK types only, and the servlet API in {@link
 * io.ssehub.api.SseHub#from} alone, so the hub's own types may change without breaking a host.
 *
 * <p>May use: {@code io.ssehub.hub}, the JDK; the servlet API only in {@code SseHub.from}.
 */
package io.ssehub.api;
