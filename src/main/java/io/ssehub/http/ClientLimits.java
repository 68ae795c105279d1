package io.ssehub.http;

import io.ssehub.auth.Grant;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Collection;

/**
 * What keeps one client from costing the others, shared by every front end: who a client is, how
 * its request bodies must arrive, how many topics it may create and how often it may publish.
 *
 * @param clients     who a request comes from ({@link ClientAddress})
 * @param bodies      how a publish body must arrive ({@link BodyReader})
 * @param topics      topics per node and per client ({@link TopicLimit})
 * @param publishRate publishes per second per publisher ({@link PublishRate})
 */
public record ClientLimits(ClientAddress clients, BodyReader.Limits bodies, TopicLimit topics, PublishRate publishRate) {

    /**
     * Counts a publish against its publisher's rate: the credential's holder, or the client
     * address of an anonymous publish.
     *
     * @throws ProblemException 429 when the publisher has used its rate
     */
    public void countPublish(HttpServletRequest request, Grant grant) {
        if (publishRate.limited()) { // else who publishes need not be worked out
            publishRate.take(grant.subject() != null ? grant.subject() : clients.of(request));
        }
    }

    /**
     * Admits a request naming {@code topics}, some of which it may create.
     *
     * @throws ProblemException 503 when the node holds all the topics it may, 429 when this client
     *                          created all it may
     */
    public void checkTopics(HttpServletRequest request, Collection<String> topics) {
        this.topics.check(() -> clients.of(request), topics);
    }
}
