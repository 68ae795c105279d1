package io.ssehub.mercure;

import io.ssehub.auth.Grant;
import io.ssehub.hub.Broker;
import io.ssehub.hub.DuplicateIdException;
import io.ssehub.hub.Message;
import io.ssehub.http.AccessGuard;
import io.ssehub.http.BodyReader;
import io.ssehub.http.Brokers;
import io.ssehub.http.ClientLimits;
import io.ssehub.hub.PublishRules;
import io.ssehub.http.Handler;
import io.ssehub.http.ProblemException;
import io.ssehub.http.Services;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /.well-known/mercure}, an {@code application/x-www-form-urlencoded} body with
 * {@code topic} (repeatable: the first is canonical, the others alternates), {@code data},
 * {@code private}, {@code id}, {@code type} and {@code retry}. Answers {@code 200 text/plain}
 * with the update's id. The publisher's credential must allow every topic of the update, by the
 * same access policy as {@code POST /publish} (a {@code mercure.publish} selector, an
 * {@code ssehub.publish} pattern or an API key's topics). An {@code id} is the publisher's own; one
 * of the hub's form ({@code <epoch>-<n>}, or {@code earliest}) gets 409, since a client resuming
 * with it would be taken to another event. The body arrives as for every publish
 * ({@link BodyReader}), and the same limits on rates and topics apply.
 */
final class MercurePublishHandler implements Handler {

    static final int MAX_ID_LENGTH = 128;

    private final Broker broker;
    private final MercureSettings settings;
    private final AccessGuard guard;
    private final ClientLimits clientLimits;
    private final BodyReader bodies;

    MercurePublishHandler(Services services, MercureSettings settings, AccessGuard guard) {
        this.broker = services.broker();
        this.settings = settings;
        this.guard = guard;
        this.clientLimits = services.clientLimits();
        this.bodies = new BodyReader(services);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        Grant grant = guard.publisher(request);
        clientLimits.countPublish(request, grant);
        bodies.read(request, response, bytes -> {
            Message message = message(Form.parse(bytes));
            if (message.topics().stream().anyMatch(MercureRequests::reserved)) {
                throw new ProblemException(403, "forbidden", "Forbidden",
                        "topics under /.well-known/mercure belong to the hub", Map.of());
            }
            guard.checkPublish(grant, message.topics());
            clientLimits.checkTopics(request, message.topics());
            String id = submit(message);
            byte[] body = id.getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType("text/plain;charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        });
    }

    private Message message(Form form) {
        List<String> topics = form.all("topic");
        if (topics.isEmpty()) {
            throw MercureRequests.bad("an update needs at least one topic");
        }
        if (topics.size() > settings.maxTopics()) {
            throw MercureRequests.bad("an update may have at most " + settings.maxTopics() + " topics");
        }
        topics.forEach(t -> MercureRequests.checkTopic(t, settings.maxTopicLength()));
        String id = form.one("id");
        if (id != null) {
            if (id.isEmpty() || id.startsWith("#") || id.length() > MAX_ID_LENGTH || PublishRules.hasControl(id)) {
                throw MercureRequests.bad("an id must be 1 to " + MAX_ID_LENGTH
                        + " characters, must not start with # and has no control characters");
            }
        }
        String type = form.one("type");
        if (type != null && (type.isEmpty() || type.length() > PublishRules.MAX_TYPE_LENGTH || PublishRules.hasControl(type)
                || PublishRules.RESERVED_TYPES.contains(type))) {
            throw MercureRequests.bad("a type must be 1 to " + PublishRules.MAX_TYPE_LENGTH + " characters without line breaks, and not ready or reset");
        }
        Long retry = null;
        String retryText = form.one("retry");
        if (retryText != null) {
            if (!retryText.matches("\\d{1,9}")) {
                throw MercureRequests.bad("retry must be a whole number of milliseconds");
            }
            retry = Long.valueOf(retryText);
        }
        String data = form.one("data");
        return new Message(topics.get(0), data == null ? "" : data, type, retry, topics.subList(1, topics.size()),
                form.has("private"), id);
    }

    private String submit(Message message) {
        try {
            return Brokers.await(broker.submit(List.of(message)), "publish").get(0).id();
        } catch (DuplicateIdException e) {
            throw duplicate(e);
        }
    }

    private static ProblemException duplicate(DuplicateIdException e) {
        return e.reserved()
                ? new ProblemException(409, "reserved-id", "Reserved id",
                        "ids of the form <epoch>-<n> and earliest belong to the hub; choose another id", Map.of())
                : new ProblemException(409, "duplicate-id", "Duplicate id", "an update with this id was already published", Map.of());
    }
}
