package io.ssehub.mercure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssehub.auth.Grant;
import io.ssehub.hub.SubscriptionRegistry;
import io.ssehub.http.Brokers;
import io.ssehub.http.AccessGuard;
import io.ssehub.http.Handler;
import io.ssehub.http.ProblemException;
import io.ssehub.http.Services;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The active-subscriptions API (JSON-LD): {@code /.well-known/mercure/subscriptions},
 * {@code .../subscriptions/{topic}} and {@code .../subscriptions/{topic}/{subscriber}}, with the
 * topic and subscriber URL-encoded. An operational endpoint: open where the others are (the open
 * demo, {@code ssehub.ops.access}); otherwise it needs a credential whose grant allows reading the
 * requested resource's URL path as a topic (a {@code mercure.subscribe} selector such as
 * {@code /.well-known/mercure/subscriptions{/topic}{/subscriber}}), or an {@code admin} grant.
 * Public topics never open it.
 *
 * <p>It lists the subscriptions of every node the broker reaches (on the Redis backplane, the
 * cluster's), and the collection's {@code lastEventID} is the newest event's id at the time of the
 * list: a watcher that subscribes to subscription events from it misses no change after the list.
 */
final class SubscriptionsHandler implements Handler {

    private final SubscriptionRegistry subscriptions;
    private final AccessGuard guard;
    private final ObjectMapper json;

    SubscriptionsHandler(Services services, AccessGuard guard, SubscriptionRegistry subscriptions) {
        this.subscriptions = subscriptions;
        this.guard = guard;
        this.json = services.json();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        String topic = params.get("topic");
        String subscriber = params.get("subscriber");
        String resource = ActiveSubscriptions.BASE + (topic == null ? "" : "/" + ActiveSubscriptions.encode(topic))
                + (subscriber == null ? "" : "/" + ActiveSubscriptions.encode(subscriber));
        if (!guard.opsOpen()) {
            Grant grant = guard.reader(request);
            if (grant == Grant.ANONYMOUS) {
                throw ProblemException.unauthorized(null);
            }
            if (!grant.admin() && !grant.subscribe().allows(resource)) {
                throw ProblemException.forbidden("the credential does not allow reading subscriptions");
            }
        }
        SubscriptionRegistry.Listing listing = Brokers.await(subscriptions.list(), "list the subscriptions");
        List<ObjectNode> matching = new ArrayList<>();
        for (String record : listing.records()) {
            ObjectNode entry = (ObjectNode) json.readTree(record);
            if ((topic == null || entry.path("topic").asText().equals(topic))
                    && (subscriber == null || entry.path("subscriber").asText().equals(subscriber))) {
                matching.add(entry);
            }
        }
        ObjectNode body;
        if (subscriber != null) {
            body = matching.stream().findFirst().orElseThrow(() -> ProblemException.notFound("no such subscription"));
        } else {
            body = json.createObjectNode().put("id", resource).put("type", "Subscriptions")
                    .put("lastEventID", listing.lastEventId());
            body.putArray("subscriptions").addAll(matching);
        }
        body.put("@context", ActiveSubscriptions.CONTEXT);
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(200);
        response.setContentType("application/ld+json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
