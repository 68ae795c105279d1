package io.ssehub.web;

import io.ssehub.http.AccessGuard;
import io.ssehub.http.BodyReader;
import io.ssehub.http.Brokers;
import io.ssehub.http.ClientLimits;
import io.ssehub.http.Handler;
import io.ssehub.http.JsonResponses;
import io.ssehub.http.ProblemException;
import io.ssehub.http.Services;
import io.ssehub.auth.Grant;
import io.ssehub.hub.Broker;
import io.ssehub.hub.IdempotencyKey;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /publish} with {@code {"topic":"news","msg":"hello"}} (optionally {@code "event"} and
 * {@code "retry"}): answers {@code 200 {"delivered":N,"topic":"news","id":"..."}}. A JSON array of
 * such objects publishes them in order and answers an array; it is validated as a whole first, so
 * one bad item refuses the batch (the problem names its {@code index}) and nothing is published.
 *
 * <p>The body is JSON whatever its {@code Content-Type} says ({@code curl -d} sends
 * form-urlencoded), so nothing here or before it may call {@code getParameter()}. Errors: body over
 * the limit 413; not JSON, not an object or array, or a field of the wrong type 400; a missing or
 * empty {@code topic}/{@code msg}, a bad {@code event} or {@code retry}, an empty or oversized
 * batch 422; a topic outside the seed syntax 400.
 *
 * <p>When publishing needs a credential it is checked before the body is read (401), as is the
 * publisher's rate (429), and every topic of the message or batch against what it allows once the
 * body is parsed (403); a batch with one forbidden topic publishes nothing. A message that would add
 * a topic to a hub already holding its maximum gets 503, or to the topics this client created its
 * maximum, 429. The body arrives without holding a container thread ({@link BodyReader}: 408 when
 * it trickles). The body's JSON rules are {@link PublishBody}'s.

 * <p>An {@code Idempotency-Key} header (1 to 128 visible ASCII characters, else 400) makes a retry
 * safe: a repeat of the same body with the same key within {@code ssehub.publish.idempotencyTtl}
 * publishes nothing and answers the first publish's ids (with {@code delivered} 0); the same key
 * with another body gets 422.
 */
final class PublishHandler implements Handler {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Broker broker;
    private final AccessGuard guard;
    private final ClientLimits clientLimits;
    private final BodyReader bodies;
    private final PublishBody json;

    PublishHandler(Services services, AccessGuard guard) {
        this.broker = services.broker();
        this.guard = guard;
        this.clientLimits = services.clientLimits();
        this.bodies = new BodyReader(services);
        this.json = new PublishBody(services.json().getFactory(), services.limits().maxTopicLength(),
                services.limits().maxBatch());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        Grant grant = guard.publisher(request);
        clientLimits.countPublish(request, grant);
        bodies.read(request, response, bytes -> {
            PublishBody.Parsed body = json.parse(bytes);
            List<String> topics = topicsOf(body.messages());
            guard.checkPublish(grant, topics);
            clientLimits.checkTopics(request, topics);
            List<PublishResult> results = Brokers.await(broker.submit(body.messages(),
                    idempotencyKey(request, body.messages())), "publish");
            JsonResponses.write(response, json.answer(results, body.batch()));
        });
    }

    /** The messages' topics, each once, in order; a single message's without a stream pipeline and a set. */
    private static List<String> topicsOf(List<Message> messages) {
        if (messages.size() == 1) {
            return List.of(messages.get(0).topic());
        }
        return messages.stream().map(Message::topic).distinct().toList();
    }

    /** The request's {@code Idempotency-Key}, or {@code null} without one. */
    private static IdempotencyKey idempotencyKey(HttpServletRequest request, List<Message> messages) {
        String key = request.getHeader(IDEMPOTENCY_KEY);
        if (key == null) {
            return null;
        }
        try {
            return IdempotencyKey.of(key, messages);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-idempotency-key", "Invalid Idempotency-Key", e.getMessage());
        }
    }
}
