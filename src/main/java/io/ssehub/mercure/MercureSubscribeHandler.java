package io.ssehub.mercure;

import io.ssehub.auth.Grant;
import io.ssehub.auth.MatchBudget;
import io.ssehub.auth.TopicSelector;
import io.ssehub.hub.Message;
import io.ssehub.hub.Subscriber;
import io.ssehub.sse.SseEncoder;
import io.ssehub.http.AccessGuard;
import io.ssehub.http.ClientLimits;
import io.ssehub.http.Handler;
import io.ssehub.http.ProblemException;
import io.ssehub.http.Services;
import io.ssehub.http.StreamOpener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * {@code GET /.well-known/mercure?topic=<selector>[&topic=...]}: an event stream of every update
 * whose topic (canonical or alternate) matches one of the selectors and that the access policy
 * lets the subscriber's credential receive: updates of public topics, updates of topics its
 * grant allows, and private updates only when its grant names one of their topics. The same
 * rule decides replay. The stream closes when the token expires. Resumes from
 * {@code Last-Event-ID} or {@code ?lastEventID=}.
 */
final class MercureSubscribeHandler implements Handler {

    private final StreamOpener opener;
    private final Services.Limits limits;
    private final MercureSettings settings;
    private final AccessGuard guard;
    private final ActiveSubscriptions subscriptions;
    private final ClientLimits clientLimits;

    MercureSubscribeHandler(Services services, MercureSettings settings, AccessGuard guard,
                            ActiveSubscriptions subscriptions) {
        this.opener = new StreamOpener(services);
        this.limits = services.limits();
        this.settings = settings;
        this.guard = guard;
        this.subscriptions = subscriptions;
        this.clientLimits = services.clientLimits();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        List<TopicSelector> selectors = selectors(request.getParameterValues("topic"));
        Grant grant = guard.reader(request);
        if (grant == Grant.ANONYMOUS && !settings.anonymous()) {
            throw ProblemException.unauthorized(null);
        }
        Predicate<Message> receives = guard.receives(grant);
        Matches selected = new Matches(selectors);
        Predicate<Message> wanted = message -> selected.anyOf(message.topics()) && receives.test(message);
        long closeAt = StreamOpener.closeAtNanos(grant.expires());
        String subscriber = "urn:uuid:" + UUID.randomUUID();
        List<ActiveSubscriptions.Entry> entries = new ArrayList<>();
        for (TopicSelector selector : selectors) {
            entries.add(new ActiveSubscriptions.Entry(subscriber, selector.text(), grant.payload()));
        }
        if (subscriptions.enabled()) {
            // Each subscription is announced on a topic of its own: they count like any topic created.
            clientLimits.checkTopics(request, entries.stream().map(ActiveSubscriptions.Entry::id).toList());
        }
        subscriptions.add(subscriber, entries); // before the stream exists, so its close always finds it
        boolean opened = false;
        try {
            opened = opener.open(request, response, new StreamOpener.Request(
                    sink -> Subscriber.matching(wanted, limits.queueCapacity(), limits.overflow(), sink),
                    StreamOpener.startPosition(request, "lastEventID"), SseEncoder::position, false, closeAt,
                    grant::isRevoked, closed -> subscriptions.announce(subscriptions.remove(subscriber), false)));
        } finally {
            if (!opened) {
                subscriptions.remove(subscriber);
            }
        }
        if (opened) {
            subscriptions.announce(entries, true);
        }
    }

    private List<TopicSelector> selectors(String[] values) {
        if (values == null || values.length == 0) {
            throw MercureRequests.bad("name at least one topic selector with ?topic=");
        }
        Set<String> texts = new LinkedHashSet<>();
        for (String value : values) {
            texts.add(MercureRequests.checkTopic(value, settings.maxTopicLength()));
        }
        if (texts.size() > settings.maxTopics()) {
            throw MercureRequests.bad("a subscription may name at most " + settings.maxTopics() + " topic selectors");
        }
        List<TopicSelector> selectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            TopicSelector selector;
            try {
                selector = TopicSelector.parse(text);
            } catch (IllegalArgumentException e) {
                throw MercureRequests.bad("not a valid URI template: " + e.getMessage());
            }
            if (selector.tooCostly(settings.maxTopicLength())) {
                throw MercureRequests.bad("a URI template that costs too much to match (expressions that can"
                        + " match the same text side by side): " + abbreviated(text));
            }
            selectors.add(selector);
        }
        return selectors;
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /**
     * Whether a subscription's selectors match a topic, remembered per topic: a URI template costs
     * a regular-expression match, and most updates come on topics seen before. Called by
     * publishing threads concurrently; at most {@link #REMEMBERED} topics are kept, then it starts
     * over, so a flood of new topics costs matches but not memory.
     */
    static final class Matches {

        /** Small: every Mercure stream holds its own, and thousands may be open. */
        static final int REMEMBERED = 64;

        private final List<TopicSelector> selectors;
        private final Map<String, Boolean> known = new ConcurrentHashMap<>();

        Matches(List<TopicSelector> selectors) {
            this.selectors = selectors;
        }

        boolean anyOf(List<String> topics) {
            for (String topic : topics) {
                Boolean match = known.get(topic);
                if (match == null) {
                    MatchBudget budget = MatchBudget.perTopic(); // shared: many templates cost no more than one
                    match = selectors.stream().anyMatch(selector -> selector.matches(topic, budget));
                    if (known.size() >= REMEMBERED) {
                        known.clear();
                    }
                    known.put(topic, match);
                }
                if (match) {
                    return true;
                }
            }
            return false;
        }
    }
}
