package io.ssehub.mercure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions open on this node, for the active-subscriptions API and subscription events:
 * one per topic selector of each subscriber. Thread-safe.
 */
final class ActiveSubscriptions {

    static final String CONTEXT = "https://mercure.rocks/";
    static final String BASE = "/.well-known/mercure/subscriptions";

    /** One selector of one subscriber. */
    record Entry(String subscriber, String topic, Object payload) {

        String id() {
            return BASE + "/" + encode(topic) + "/" + encode(subscriber);
        }
    }

    private final Map<String, List<Entry>> bySubscriber = new ConcurrentHashMap<>();

    void add(String subscriber, List<Entry> entries) {
        bySubscriber.put(subscriber, entries);
    }

    List<Entry> remove(String subscriber) {
        List<Entry> entries = bySubscriber.remove(subscriber);
        return entries == null ? List.of() : entries;
    }

    /** Every subscription, optionally only those of one selector. */
    List<Entry> list(String topic) {
        List<Entry> out = new ArrayList<>();
        for (List<Entry> entries : bySubscriber.values()) {
            for (Entry entry : entries) {
                if (topic == null || entry.topic().equals(topic)) {
                    out.add(entry);
                }
            }
        }
        return out;
    }

    /** The JSON-LD of one subscription, as in the API and in subscription events. */
    static ObjectNode json(ObjectMapper mapper, Entry entry, boolean active) {
        ObjectNode node = mapper.createObjectNode()
                .put("id", entry.id())
                .put("type", "Subscription")
                .put("topic", entry.topic())
                .put("subscriber", entry.subscriber())
                .put("active", active);
        node.set("payload", mapper.valueToTree(entry.payload()));
        return node;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
