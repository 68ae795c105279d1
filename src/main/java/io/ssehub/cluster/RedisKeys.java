package io.ssehub.cluster;

/**
 * Where the backplane keeps things in Redis, every name under {@link #PREFIX}. The scripts derive
 * a topic's meta key from its stream key ({@code :s:} to {@code :m:}), so the two change together.
 */
final class RedisKeys {

    /**
     * What every key and channel name starts with. Its braces are a Redis Cluster hash tag: the
     * slot of a name is that of {@code ssehub} alone, whatever follows (a topic's own braces come
     * after the first pair and do not count), so every script's keys and every channel it
     * publishes on are in one slot, as Redis Cluster requires of a script.
     */
    static final String PREFIX = "{ssehub}:";
    static final String SEQ = PREFIX + "seq";
    static final String EPOCH = PREFIX + "epoch";
    /** Encoded bytes retained over all topics. */
    static final String BYTES = PREFIX + "bytes";
    /** Topic streams by the seq of their oldest entry: the order history is forgotten in. */
    static final String ORDER = PREFIX + "order";
    static final String CHANNEL_PREFIX = PREFIX + "c:";
    /**
     * The index: a stream with one entry per retained event, over all topics, pointing at the
     * stream of its first topic; what subscribers of topic selectors resume from.
     */
    static final String INDEX = PREFIX + "x";
    /** The index's hash: {@code trimmed}, the highest seq forgotten from any topic. */
    static final String INDEX_META = PREFIX + "xm";
    /**
     * Publishers' ids (Mercure's {@code id}) of retained events: a hash of the id to
     * {@code <epoch> <seq> <stream key of its canonical topic>}, kept by the publish script.
     */
    static final String IDS = PREFIX + "ids";
    /**
     * The nodes with Mercure subscriptions: a zset of node by the deadline of its lease (Redis
     * time, ms), renewed at every ping.
     */
    static final String SUBSCRIPTION_NODES = PREFIX + "a";
    /**
     * What this node joins for subscribers of topic selectors: not a topic (topics are never
     * empty), and its channel, the bare prefix, carries every event.
     */
    static final String EVERYWHERE = "";

    private RedisKeys() {
    }

    /** The topic's history: a stream whose entry ids are {@code <seq>-0}. */
    static String stream(String topic) {
        return PREFIX + "s:" + topic;
    }

    /** The topic's hash: {@code last} seq published, {@code trimmed} the highest seq forgotten. */
    static String meta(String topic) {
        return PREFIX + "m:" + topic;
    }

    static String channel(String topic) {
        return CHANNEL_PREFIX + topic;
    }

    /** The topic of a topic stream's key. */
    static String topicOfStream(String streamKey) {
        return streamKey.substring(stream("").length());
    }

    /** A node's Mercure subscriptions: a hash of {@code <subscriber> \n <topic selector>} to its record. */
    static String subscriptions(String node) {
        return PREFIX + "a:" + node;
    }

    /** A publisher's idempotency key, or one a publish without one makes for itself. */
    static String idempotency(String key) {
        return PREFIX + "k:" + key;
    }

    /** Fences one publish attempt whose answer was lost, so it can never run later. */
    static String fence(String attempt) {
        return PREFIX + "f:" + attempt;
    }
}
