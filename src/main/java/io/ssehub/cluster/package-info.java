/**
 * Brokers that let several ssehub nodes share topics. {@link io.ssehub.cluster.RedisBroker}
 * sequences every event in Redis (one script: the cluster-wide id, the topic's history, the
 * fan-out message), and hands the events each node's subscribers need to that node's
 * {@link io.ssehub.hub.Hub} in one order. The hub knows nothing of Redis.
 *
 * <p>May use: {@code io.ssehub.hub}, Lettuce, SLF4J.
 */
package io.ssehub.cluster;
