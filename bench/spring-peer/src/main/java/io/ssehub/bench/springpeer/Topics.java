package io.ssehub.bench.springpeer;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The subscribers of each topic: a {@link ConcurrentHashMap} from topic to a concurrent set of
 * emitters. Thread-safe; a publish sends from the caller's thread, as the {@code SseEmitter}
 * documentation shows.
 */
@Component
public class Topics {

    private final Map<String, Set<SseEmitter>> topics = new ConcurrentHashMap<>();

    /**
     * Registers an emitter on a topic and removes it again however its response ends: completed,
     * timed out, or failed (the client went away).
     */
    public void subscribe(String topic, SseEmitter emitter) {
        Set<SseEmitter> emitters = topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet());
        Runnable remove = () -> unsubscribe(topic, emitter);
        emitter.onCompletion(remove);
        emitter.onTimeout(remove);
        emitter.onError(error -> remove.run());
        emitters.add(emitter);
    }

    /**
     * Sends {@code msg} as one {@code data:} event to every subscriber of {@code topic}.
     *
     * @return how many subscribers it was written to; a subscriber whose write failed is removed
     *     (Spring's documentation: after a failed send the container dispatches the error and the
     *     emitter completes, so the application does not complete it itself)
     */
    public int publish(String topic, String msg) {
        Set<SseEmitter> emitters = topics.get(topic);
        if (emitters == null) {
            return 0;
        }
        int delivered = 0;
        for (SseEmitter emitter : emitters) {
            try {
                emitter.send(SseEmitter.event().data(msg));
                delivered++;
            } catch (IOException | IllegalStateException gone) {
                // The client left, or its response already completed on another thread.
                emitters.remove(emitter);
            }
        }
        return delivered;
    }

    private void unsubscribe(String topic, SseEmitter emitter) {
        topics.computeIfPresent(topic, (t, emitters) -> {
            emitters.remove(emitter);
            return emitters.isEmpty() ? null : emitters;
        });
    }
}
