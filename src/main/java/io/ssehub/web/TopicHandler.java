package io.ssehub.web;

import io.ssehub.http.AccessGuard;
import io.ssehub.http.Brokers;
import io.ssehub.http.Handler;
import io.ssehub.http.JsonResponses;
import io.ssehub.http.ProblemException;
import io.ssehub.http.Services;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.hub.Broker;
import io.ssehub.hub.TopicInfo;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /topics/{topic}}:
 * {@code {"topic":"news","subscribers":2,"lastEventId":"mi3k2x1a-42","retained":17}}; 404 for a
 * topic with neither subscribers nor history. With the Redis backplane {@code lastEventId} and
 * {@code retained} are the cluster's and {@code subscribers} this node's. An operational endpoint: once any credential is
 * configured it answers only an {@code admin} grant (401/403 before anything about the topic is
 * looked up, so a refusal never tells whether it exists).
 */
final class TopicHandler implements Handler {

    private final Broker broker;
    private final ObjectMapper json;
    private final int maxTopicLength;
    private final AccessGuard guard;

    TopicHandler(Services services, AccessGuard guard) {
        this.guard = guard;
        this.broker = services.broker();
        this.json = services.json();
        this.maxTopicLength = services.limits().maxTopicLength();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        guard.checkOperator(request);
        String name = TopicName.check(params.get("topic"), maxTopicLength);
        TopicInfo topic = Brokers.await(broker.topic(name), "look up the topic")
                .orElseThrow(() -> ProblemException.notFound("topic " + name + " has no subscribers and no history"));
        JsonResponses.write(response, json, topic);
    }
}
