package io.ssehub.mercure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssehub.hub.Broker;
import io.ssehub.hub.Message;
import io.ssehub.hub.SubscriptionRegistry;
import io.ssehub.http.ProblemException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The subscriptions open where the broker reaches, for the active-subscriptions API and
 * subscription events: one per topic selector of each subscriber, recorded as its JSON-LD in the
 * broker's {@link SubscriptionRegistry} (this node's, or the cluster's). This node's own are also
 * kept here, for the events of their end. Thread-safe.
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

    private final SubscriptionRegistry registry;
    private final Broker broker;
    private final ObjectMapper json;
    private final boolean enabled;
    private final Map<String, List<Entry>> own = new ConcurrentHashMap<>();

    /** @param enabled whether subscriptions are recorded and announced ({@code ssehub.mercure.subscriptions}) */
    ActiveSubscriptions(Broker broker, ObjectMapper json, boolean enabled) {
        this.registry = broker.subscriptions();
        this.broker = broker;
        this.json = json;
        this.enabled = enabled;
        if (enabled) {
            registry.onAbandoned(this::announceAbandoned);
        }
    }

    boolean enabled() {
        return enabled;
    }

    /** Records a subscriber's subscriptions, before its stream opens; nothing when they are off. */
    void add(String subscriber, List<Entry> entries) {
        if (!enabled) {
            return;
        }
        own.put(subscriber, entries);
        Map<String, String> records = new LinkedHashMap<>();
        for (Entry entry : entries) {
            records.put(entry.topic(), json(json, entry, true).toString());
        }
        registry.add(subscriber, records);
    }

    /** Forgets a subscriber's subscriptions; returns them, or nothing if they were not recorded. */
    List<Entry> remove(String subscriber) {
        List<Entry> entries = own.remove(subscriber);
        if (entries == null) {
            return List.of();
        }
        registry.remove(subscriber);
        return entries;
    }

    /**
     * Publishes a private subscription event per entry, on the topic of its id.
     *
     * @throws ProblemException (503) when the broker refuses at once
     */
    void announce(List<Entry> entries, boolean active) {
        List<ObjectNode> records = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            records.add(json(json, entry, active));
        }
        publish(records);
    }

    /** The subscriptions of a node that left without ending them: they end now. */
    private void announceAbandoned(List<String> records) {
        List<ObjectNode> ended = new ArrayList<>(records.size());
        for (String record : records) {
            try {
                ended.add(((ObjectNode) json.readTree(record)).put("active", false));
            } catch (JsonProcessingException | ClassCastException e) {
                // not a record of ours: nothing to announce
            }
        }
        try {
            publish(ended);
        } catch (ProblemException e) {
            // the broker is away: the subscriptions are gone all the same
        }
    }

    private void publish(List<ObjectNode> records) {
        if (!enabled || records.isEmpty()) {
            return;
        }
        List<Message> events = new ArrayList<>(records.size());
        for (ObjectNode record : records) {
            String data = record.deepCopy().put("@context", CONTEXT).toString();
            events.add(new Message(record.get("id").asText(), data, null, null, List.of(), true, null));
        }
        try {
            broker.submit(events);
        } catch (RuntimeException e) {
            throw ProblemException.unavailable("could not publish the subscription event", 1);
        }
    }

    /** The registry the API lists. */
    SubscriptionRegistry registry() {
        return registry;
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
