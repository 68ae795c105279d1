/**
 * Brokers that let several ssehub nodes share topics. {@link io.ssehub.cluster.RedisBroker}
 * sequences every publish in Redis (one script: the cluster-wide ids, the topics' bounded
 * histories and their index, the fan-out messages) and hands the events each node's subscribers need to that
 * node's {@link io.ssehub.hub.Hub} in one order. The hub knows nothing of Redis.
 *
 * <p>Inside: {@code RedisPublisher} answers a publish exactly (a deadline in Redis's time,
 * {@code RedisClock}, and a fence for a lost answer); {@code LiveFeed} delivers each event once, in
 * order, and holds live events back during an outage; {@code Resync} replays the gap from history
 * when Redis answers again, or announces a reset; {@code HistoryReader} reads history in pages, per
 * topic or, for subscribers of topic selectors, through the cross-topic index, and
 * {@code PagedReplay} hands a resume's pages to its stream one at a time, as the stream writes them;
 * {@code RedisConnections} holds what differs between one Redis and a Redis Cluster.
 * Lettuce's event loop only receives: parsing history and catching up run on the backplane's own
 * threads.
 *
 * <p>May use: {@code io.ssehub.hub}, Lettuce, SLF4J.
 */
package io.ssehub.cluster;
