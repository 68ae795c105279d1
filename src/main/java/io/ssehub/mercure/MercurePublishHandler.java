package io.ssehub.mercure;

import io.ssehub.hub.Broker;
import io.ssehub.hub.DuplicateIdException;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishResult;
import io.ssehub.http.BodyReader;
import io.ssehub.http.EventFields;
import io.ssehub.http.Handler;
import io.ssehub.http.ProblemException;
import io.ssehub.http.Services;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /.well-known/mercure}, an {@code application/x-www-form-urlencoded} body with
 * {@code topic} (repeatable: the first is canonical, the others alternates), {@code data},
 * {@code private}, {@code id}, {@code type} and {@code retry}. Answers {@code 200 text/plain}
 * with the update's id. The publisher's token must have a {@code mercure.publish} selector for
 * every topic of the update.
 */
final class MercurePublishHandler implements Handler {

    static final int MAX_ID_LENGTH = 128;

    private final Broker broker;
    private final Services.Limits limits;
    private final MercureSettings settings;
    private final MercureTokens tokens;

    MercurePublishHandler(Services services, MercureSettings settings, MercureTokens tokens) {
        this.broker = services.broker();
        this.limits = services.limits();
        this.settings = settings;
        this.tokens = tokens;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        String token = MercureRequests.token(request, false);
        if (token == null) {
            throw MercureTokens.unauthorized();
        }
        if (token.equals(MercureRequests.cookie(request)) && request.getHeader("Authorization") == null) {
            refuseForeignOrigin(request); // a cookie rides along with any page's request: CSRF
        }
        MercureTokens.Claims claims = tokens.verify(token);
        Form form = Form.parse(BodyReader.read(request, limits.maxBodyBytes()));
        Message message = message(form);
        if (message.topics().stream().anyMatch(MercureRequests::reserved)) {
            throw new ProblemException(403, "forbidden", "Forbidden",
                    "topics under /.well-known/mercure belong to the hub", Map.of());
        }
        if (!claims.mayPublishAll(message.topics())) {
            throw new ProblemException(403, "forbidden", "Forbidden", "the token does not allow publishing to these topics", Map.of());
        }
        String id = submit(message);
        byte[] body = id.getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
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
            if (id.isEmpty() || id.startsWith("#") || id.length() > MAX_ID_LENGTH || EventFields.hasControl(id)) {
                throw MercureRequests.bad("an id must be 1 to " + MAX_ID_LENGTH
                        + " characters, must not start with # and has no control characters");
            }
        }
        String type = form.one("type");
        if (type != null && (type.isEmpty() || type.length() > EventFields.MAX_TYPE_LENGTH || EventFields.hasControl(type)
                || EventFields.RESERVED_TYPES.contains(type))) {
            throw MercureRequests.bad("a type must be 1 to " + EventFields.MAX_TYPE_LENGTH + " characters without line breaks, and not ready or reset");
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
            List<PublishResult> results = broker.submit(List.of(message)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            return results.get(0).id();
        } catch (DuplicateIdException | CompletionException e) {
            throw duplicate();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DuplicateIdException) {
                throw duplicate();
            }
            throw ProblemException.unavailable("cannot publish right now", 2);
        } catch (TimeoutException e) {
            throw ProblemException.unavailable("cannot publish right now", 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted", 1);
        }
    }

    private static ProblemException duplicate() {
        return new ProblemException(409, "duplicate-id", "Duplicate id", "an update with this id was already published", Map.of());
    }

    private static void refuseForeignOrigin(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin == null) {
            return;
        }
        String host = request.getHeader("Host");
        String expected = request.getScheme() + "://" + host;
        if (!origin.equalsIgnoreCase(expected)) {
            throw new ProblemException(403, "forbidden", "Forbidden", "a cookie-authenticated publish must come from the hub's own origin", Map.of());
        }
    }
}
