package io.ssehub.hub;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Topic to subscribers fan-out.
 *
 * <p>Threading: every method is thread-safe. One lock orders subscribe, unsubscribe and the
 * fan-out of each publish, so every subscriber receives a topic's frames in publish order and a
 * frame published after {@link #subscribe} returns is offered to that subscriber. Encoding happens
 * before the lock is taken; inside it the hub only enqueues, it never waits for a consumer.
 *
 * <p>A topic exists while it has subscribers; the last unsubscribe removes it, so topic names seen
 * once do not accumulate.
 */
public final class Hub {

    private final FrameEncoder encoder;
    private final Object lock = new Object();
    private final Map<String, Topic> topics = new HashMap<>();
    private final AtomicInteger subscriberCount = new AtomicInteger();
    private long seq;

    public Hub(FrameEncoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /** Registers the subscriber on its topic. Subscribing the same instance twice has no effect. */
    public void subscribe(Subscriber subscriber) {
        synchronized (lock) {
            Topic topic = topics.computeIfAbsent(subscriber.topic(), Topic::new);
            int before = topic.size();
            topic.add(subscriber);
            subscriberCount.addAndGet(topic.size() - before);
        }
    }

    /** Releases the subscriber. Idempotent: a second call, or one for a stranger, does nothing. */
    public void unsubscribe(Subscriber subscriber) {
        synchronized (lock) {
            Topic topic = topics.get(subscriber.topic());
            if (topic != null && topic.remove(subscriber)) {
                subscriberCount.decrementAndGet();
                if (topic.isEmpty()) {
                    topics.remove(topic.name());
                }
            }
        }
    }

    /**
     * Encodes the message once and offers the frame to every subscriber of its topic.
     *
     * @return how many subscribers' queues took it; a topic nobody listens to gives 0
     */
    public PublishResult publish(Message message) {
        byte[] bytes = encoder.encode(message);
        long now = System.nanoTime();
        int delivered = 0;
        synchronized (lock) {
            Frame frame = new Frame(++seq, message.topic(), bytes, now);
            Topic topic = topics.get(message.topic());
            if (topic != null) {
                for (Subscriber subscriber : topic.subscribers()) {
                    if (subscriber.offer(frame)) {
                        delivered++;
                    }
                }
            }
        }
        return new PublishResult(message.topic(), delivered);
    }

    /** Subscribers currently registered, over all topics. */
    public int subscribers() {
        return subscriberCount.get();
    }

    /** Topics that currently have at least one subscriber. */
    public int topics() {
        synchronized (lock) {
            return topics.size();
        }
    }

    /** Subscribers of one topic, 0 if nobody listens. */
    public int subscribers(String topic) {
        synchronized (lock) {
            Topic t = topics.get(topic);
            return t == null ? 0 : t.size();
        }
    }
}
