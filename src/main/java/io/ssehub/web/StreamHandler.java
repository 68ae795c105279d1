package io.ssehub.web;

import io.ssehub.hub.Hub;
import io.ssehub.sse.CloseReason;
import io.ssehub.sse.SseEncoder;
import io.ssehub.sse.SseStream;
import io.ssehub.sse.StreamRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /events/{topic}}: opens an event stream whose first frame is
 * <pre>event: ready\ndata: subscribed to "{topic}"\n\n</pre>
 * followed by one frame per message published on the topic.
 *
 * <p>Every check happens before the response is touched, so a bad topic gets a 400 problem and no
 * stream is opened. The async timeout is switched off (Tomcat's default of 30 s would end every
 * stream); keep-alive comments keep proxies open instead.
 */
final class StreamHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(StreamHandler.class);

    private final Hub hub;
    private final StreamRegistry streams;
    private final Executor writers;
    private final Services.Limits limits;

    StreamHandler(Services services) {
        this.hub = services.hub();
        this.streams = services.streams();
        this.writers = services.writers();
        this.limits = services.limits();
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        String topic = TopicName.check(params.get("topic"), limits.maxTopicLength());
        if (streams.isShutDown()) {
            throw ProblemException.unavailable("the hub is shutting down", 1);
        }

        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");

        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        SseStream stream = new SseStream(async, response.getOutputStream(), writers, topic,
                limits.queueCapacity(), SseEncoder.ready("\"" + topic + "\""), this::closed);
        if (!streams.add(stream)) {
            stream.close(CloseReason.SHUTDOWN);
            return;
        }
        hub.subscribe(stream.subscriber());
        log.debug("stream opened on {}", topic);
        stream.start();
    }

    private void closed(SseStream stream, CloseReason reason) {
        hub.unsubscribe(stream.subscriber());
        streams.remove(stream);
        log.debug("stream closed on {}: {} after {} ms, {} dropped", stream.subscriber().topic(), reason,
                TimeUnit.NANOSECONDS.toMillis(stream.ageNanos()), stream.subscriber().dropped());
    }
}
