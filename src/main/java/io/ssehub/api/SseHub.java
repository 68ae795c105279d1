package io.ssehub.api;

import jakarta.servlet.ServletContext;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Publishes from the code of the web application ssehub runs in, without HTTP: the Java face of
 * {@code POST /publish} and {@code GET /topics/{topic}}, for a host that embeds ssehub and wants
 * to publish right after its own work (say, a database commit) without a request to itself.
 *
 * <p><b>Obtaining it.</b> {@code SseHub hub = SseHub.from(getServletContext());} ssehub's listener
 * puts it in the servlet context attribute {@link #ATTRIBUTE} when it starts, before any servlet or
 * filter is initialised, and removes it when it stops. A host's own {@code ServletContextListener}
 * may run before ssehub's, so it should not look the hub up in {@code contextInitialized}; a
 * servlet's {@code init} or any request is late enough.
 *
 * <p><b>The same rules as {@code POST /publish}.</b> Every event passes the checks of a published
 * message ({@code io.ssehub.hub.PublishRules}, one definition for both), goes through the same
 * broker, and gets an id, history, metrics and, with {@code ssehub.backplane=redis}, cluster-wide
 * delivery exactly as if it had been posted. Only access control differs: the caller is the
 * host's own code and is trusted, so no credential is asked and the {@code ssehub.auth.*} rules do
 * not apply. A host publishing on behalf of a user decides itself what that user may publish.
 *
 * <p><b>Threads and blocking.</b> Thread-safe: any thread may call any method, concurrently. It
 * never waits for a subscriber: an event is only put on each subscriber's bounded queue, and a
 * subscriber whose queue is full loses that event alone. With the local broker (the default) a
 * publish waits only for the hub's short internal lock; with the Redis backplane it waits for
 * Redis to sequence the event, at most a few seconds (Redis commands time out after 2, the wait
 * gives up after 5) when Redis is slow or unreachable.
 *
 * <p><b>Outcomes.</b> A returned {@link Receipt} means the event has its id and is in its topic's
 * history (as far as {@code ssehub.history.*} keeps one; in Redis with the backplane) and has been
 * offered to this node's subscribers. Otherwise:
 * <ul>
 *   <li>{@link IllegalArgumentException}: a field breaks a rule; the message names it as
 *       {@code POST /publish} does ({@code topic}, {@code msg}, {@code event}, {@code retry}) and,
 *       in a batch, starts with {@code item <index>: }. Nothing was published.</li>
 *   <li>{@link HubUnavailableException}: publishing is impossible right now (ssehub is shutting
 *       down, the node holds its maximum of topics, or the backplane failed); its
 *       {@link HubUnavailableException#reason() reason} says which and whether anything may have
 *       been published after all.</li>
 * </ul>
 */
public interface SseHub {

    /** The servlet context attribute holding the running hub's {@code SseHub}. */
    String ATTRIBUTE = "io.ssehub.api.SseHub";

    /**
     * The hub running in this web application.
     *
     * @throws IllegalStateException if ssehub has not started (yet), failed to start or has
     *                               stopped, or the attribute holds an {@code SseHub} of another
     *                               class loader
     */
    static SseHub from(ServletContext context) {
        Object hub = context.getAttribute(ATTRIBUTE);
        if (hub == null) {
            throw new IllegalStateException("ssehub is not running in this web application: it has not started yet,"
                    + " failed to start or has stopped (are ssehub-embedded.jar and ssehub-core.jar in WEB-INF/lib?)");
        }
        if (!(hub instanceof SseHub running)) {
            throw new IllegalStateException("the attribute " + ATTRIBUTE + " holds an SseHub of another class loader:"
                    + " keep ssehub's classes in this web application's WEB-INF/lib only");
        }
        return running;
    }

    /**
     * Publishes one event of the default type {@code message}.
     *
     * @throws IllegalArgumentException a bad topic or {@code msg}; nothing was published
     * @throws HubUnavailableException  see {@link HubUnavailableException.Reason}
     */
    default Receipt publish(String topic, String msg) {
        return publish(new Publication(topic, msg));
    }

    /**
     * Publishes one event with a type and a reconnection hint.
     *
     * @param event the event type, or {@code null} for {@code message}
     * @param retry the reconnection delay hint, or {@code null}
     * @throws IllegalArgumentException a bad field (see {@link Publication}); nothing was published
     * @throws HubUnavailableException  see {@link HubUnavailableException.Reason}
     */
    default Receipt publish(String topic, String msg, String event, Duration retry) {
        return publish(new Publication(topic, msg, event, retry));
    }

    /**
     * Publishes one event.
     *
     * @throws IllegalArgumentException a bad field (see {@link Publication}); nothing was published
     * @throws HubUnavailableException  see {@link HubUnavailableException.Reason}
     */
    Receipt publish(Publication publication);

    /**
     * Publishes a batch in order, each event with its own id, as {@code POST /publish} does with
     * an array: every event is checked first, so one bad event publishes none.
     *
     * @return one receipt per event, in order
     * @throws IllegalArgumentException the batch is empty or larger than
     *                                  {@code ssehub.publish.maxBatch} (100), or an event is null or
     *                                  has a bad field (the message starts {@code item <index>: });
     *                                  nothing was published
     * @throws HubUnavailableException  see {@link HubUnavailableException.Reason}
     */
    List<Receipt> publishAll(List<Publication> publications);

    /**
     * Publishes a batch as {@link #publishAll(List)} does, once per key: a repeat with the same
     * key and the same publications within {@code ssehub.publish.idempotencyTtl} publishes nothing
     * and returns the first receipts (with {@code delivered} 0), as {@code POST /publish} does with
     * an {@code Idempotency-Key}. Retry with it after a {@link HubUnavailableException}.
     *
     * @param idempotencyKey 1 to 128 visible ASCII characters
     * @throws IllegalArgumentException as {@link #publishAll(List)}, and for a malformed key or one
     *                                  used before with other publications; nothing was published
     * @throws HubUnavailableException  see {@link HubUnavailableException.Reason}
     */
    List<Receipt> publishAll(List<Publication> publications, String idempotencyKey);

    /**
     * This node's view of a topic, as {@code GET /topics/{topic}} answers it.
     *
     * @return empty if the topic has neither subscribers nor history here
     * @throws IllegalArgumentException a name outside the topic syntax
     */
    Optional<TopicStatus> topic(String name);
}
