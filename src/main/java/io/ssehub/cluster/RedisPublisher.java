package io.ssehub.cluster;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.ssehub.hub.DuplicateIdException;
import io.ssehub.hub.EventId;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.IdempotencyConflictException;
import io.ssehub.hub.IdempotencyKey;
import io.ssehub.hub.Message;
import io.ssehub.hub.PublishOutcomeUnknownException;
import io.ssehub.hub.PublishResult;
import io.ssehub.hub.TopicLimitException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Publishes through {@code publish.lua}, answering exactly: a stage completes with ids only when
 * the events are in Redis, and fails only when they are not and never will be.
 *
 * <p>A batch is one script call, so it is all or nothing. Every call carries an idempotency key
 * (the publisher's, or one of its own) under which the script remembers its answer, and a Redis
 * deadline after which it refuses to run. When the answer is lost (a timeout, a dropped
 * connection), {@code fence.lua} settles it on the same connection, so after the script: either
 * the answer was remembered (the events are in: the ids are returned) or the attempt is fenced
 * and the script, should Lettuce send it again after a reconnect, does nothing. Only when Redis
 * answers neither within the caller's wait is the outcome unknown
 * ({@link PublishOutcomeUnknownException}); a retry with the same key then answers the truth.
 *
 * <p>The delivered count of a result is this node's subscribers reached, learnt when the event
 * comes back on the node's own channel (waited for at most {@link #ECHO_WAIT_MILLIS}).
 */
final class RedisPublisher {

    static final long ECHO_WAIT_MILLIS = 1_000;
    /**
     * How long after it is sent (in Redis's time) a publish may still run: after the command and
     * fence timeouts of 2 s each would have failed it, with margin for the clock estimate, and
     * before the caller's wait ({@code Broker.WAIT_MILLIS}) ends.
     */
    static final long RUN_DEADLINE_MILLIS = 3_500;
    /**
     * How long a lost answer is looked for, from its publish: as long as the caller waits
     * ({@code Broker.WAIT_MILLIS}) but for a margin to answer it.
     */
    static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(4_500);
    static final long SETTLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long the answer of a publish without a publisher's key is remembered: long enough to settle it. */
    static final long OWN_KEY_TTL_MILLIS = 60_000;

    private final RedisScriptingAsyncCommands<String, String> commands;
    private final HistoryLimits history;
    private final int maxTopics;
    private final long keyTtlMillis;
    private final ScheduledExecutorService scheduler;
    private final Predicate<String> listening;
    private final RedisClock clock;
    private final LuaScript publish;
    private final LuaScript fence = LuaScript.load("fence.lua");
    private final String origin = UUID.randomUUID().toString();
    private final AtomicLong attempts = new AtomicLong();
    private final Map<String, CompletableFuture<Integer>> echoes = new ConcurrentHashMap<>();

    /**
     * @param listening      whether this node listens to a topic's channel, so its publish comes back
     * @param publishCommand what sends a channel message: {@code PUBLISH}, or {@code SPUBLISH} on a cluster
     */
    RedisPublisher(RedisScriptingAsyncCommands<String, String> commands, HistoryLimits history, int maxTopics,
                   Duration keyTtl, ScheduledExecutorService scheduler, Predicate<String> listening, RedisClock clock,
                   String publishCommand) {
        this.commands = commands;
        this.publish = LuaScript.load("publish.lua", "local PUBLISH = '" + publishCommand + "'");
        this.history = history;
        this.maxTopics = maxTopics;
        this.keyTtlMillis = Math.max(1, keyTtl.toMillis());
        this.scheduler = scheduler;
        this.listening = listening;
        this.clock = clock;
    }

    /**
     * A message with a publisher's id (Mercure's) fails the stage with {@link DuplicateIdException}
     * when a retained event has it, or it has the hub's form; then nothing of the batch is published.
     */
    CompletableFuture<List<PublishResult>> submit(List<Message> messages, IdempotencyKey key) {
        long settleBy = System.nanoTime() + SETTLE_NANOS;
        String attempt = origin + ":" + attempts.incrementAndGet();
        String idempotency = key == null ? RedisKeys.idempotency("a:" + attempt) : RedisKeys.idempotency("u:" + key.key());
        String fingerprint = key == null ? "0" : key.fingerprint();
        List<String> keys = new ArrayList<>(List.of(RedisKeys.SEQ, RedisKeys.EPOCH, RedisKeys.BYTES, RedisKeys.ORDER,
                idempotency, RedisKeys.fence(attempt), RedisKeys.INDEX, RedisKeys.INDEX_META, RedisKeys.IDS));
        List<String> args = new ArrayList<>(List.of(Hub.newEpoch(),
                Long.toString(clock.redisMillis() + RUN_DEADLINE_MILLIS), fingerprint,
                Long.toString(key == null ? OWN_KEY_TTL_MILLIS : keyTtlMillis),
                Integer.toString(history.perTopic()), Long.toString(Math.max(1, history.maxAge().toMillis())),
                Long.toString(history.maxBytes()), Integer.toString(maxTopics), RedisKeys.CHANNEL_PREFIX));
        List<CompletableFuture<Integer>> echoed = new ArrayList<>(messages.size());
        List<String> tokens = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            List<String> topics = List.copyOf(new LinkedHashSet<>(message.topics()));
            for (String topic : topics) {
                keys.add(RedisKeys.stream(topic));
                keys.add(RedisKeys.meta(topic));
            }
            String token = attempt + ":" + i;
            CompletableFuture<Integer> echo = new CompletableFuture<>();
            if (topics.stream().anyMatch(listening) || listening.test(RedisKeys.EVERYWHERE)) {
                echoes.put(token, echo); // before sending: the echo may overtake the script's reply
            } else {
                echo.complete(0);
            }
            echoed.add(echo);
            tokens.add(token);
            args.addAll(List.of(message.data(), message.type() == null ? "" : message.type(),
                    message.retry() == null ? "" : message.retry().toString(), token,
                    message.restricted() ? "1" : "", message.customId() == null ? "" : message.customId(),
                    Integer.toString(topics.size())));
            args.addAll(topics);
        }
        return publish.run(commands, keys.toArray(String[]::new), args.toArray(String[]::new))
                .thenApply(reply -> outcome((List<?>) reply))
                .exceptionallyCompose(error -> unwrap(error) instanceof Refused || neverSent(error)
                        ? CompletableFuture.failedFuture(error)
                        : settle(idempotency, fingerprint, attempt, error, settleBy))
                .handle((outcome, error) -> {
                    if (error != null || outcome.repeat()) {
                        forget(tokens, echoed); // nothing was published now: nothing comes back
                    }
                    if (error != null) {
                        throw unwrap(error) instanceof Refused refused ? refused.reason() : new IllegalStateException(error);
                    }
                    waitForEchoes(tokens, echoed);
                    return outcome.ids();
                })
                .thenCompose(ids -> CompletableFuture.allOf(echoed.toArray(CompletableFuture[]::new))
                        .thenApply(done -> results(messages, ids, echoed)));
    }

    /** What a publish came to: its ids, and whether it was a repeat that published nothing now. */
    private record Outcome(List<String> ids, boolean repeat) {

        /** {@code <epoch> <seq>...}, as the scripts remember an answer. */
        static Outcome remembered(List<String> words, boolean repeat) {
            List<String> ids = new ArrayList<>(words.size() - 1);
            for (String seq : words.subList(1, words.size())) {
                ids.add(new EventId(words.get(0), Long.parseLong(seq)).toString());
            }
            return new Outcome(ids, repeat);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Ids (a publisher's own where it chose one) with their delivered counts; a repeat's events reached nobody now. */
    private static List<PublishResult> results(List<Message> messages, List<String> ids, List<CompletableFuture<Integer>> echoed) {
        List<PublishResult> results = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            String id = message.customId() != null ? message.customId() : ids.get(i);
            results.add(new PublishResult(message.topic(), echoed.get(i).join(), id));
        }
        return results;
    }

    /** A reply of publish.lua: its ids, or the refusal it stands for. */
    private Outcome outcome(List<?> reply) {
        String outcome = reply.get(0).toString();
        List<String> words = reply.subList(1, reply.size()).stream().map(Object::toString).toList();
        return switch (outcome) {
            case "ok" -> Outcome.remembered(words, false);
            case "repeat" -> Outcome.remembered(words, true);
            case "conflict" -> throw new Refused(new IdempotencyConflictException());
            case "full" -> throw new Refused(TopicLimitException.cluster(maxTopics));
            case "duplicate" -> throw new Refused(new DuplicateIdException(false));
            case "reserved" -> throw new Refused(new DuplicateIdException(true));
            default -> throw new Refused(new IllegalStateException("not published: " + outcome));
        };
    }

    /**
     * The script's answer was lost: find out on the same connection whether it ran, trying again
     * (Redis may be restarting) until {@code deadline}; a failure after it leaves the outcome unknown.
     */
    private CompletableFuture<Outcome> settle(String idempotency, String fingerprint, String attempt, Throwable lost,
                                              long deadline) {
        return fence.run(commands, new String[]{idempotency, RedisKeys.fence(attempt)}, Long.toString(keyTtlMillis))
                .thenApply(reply -> {
                    String remembered = ((List<?>) reply).get(0).toString();
                    if (remembered.equals("fenced")) {
                        throw new Refused(new IllegalStateException("not published, and never will be", lost));
                    }
                    List<String> words = List.of(remembered.split(" "));
                    if (!words.get(0).equals(fingerprint)) {
                        // another request with the key ran first; this one's script would refuse
                        throw new Refused(new IdempotencyConflictException());
                    }
                    // Published, by this attempt or an earlier one; echoes are not waited for.
                    return Outcome.remembered(words.subList(1, words.size()), true);
                })
                .exceptionallyCompose(error -> {
                    if (unwrap(error) instanceof Refused) {
                        return CompletableFuture.failedFuture(error);
                    }
                    // Another fence only if its own timeout ends before the deadline.
                    long pause = TimeUnit.NANOSECONDS.toMillis(SETTLE_PAUSE_NANOS);
                    if (deadline - System.nanoTime() < SETTLE_PAUSE_NANOS + RedisBroker.COMMAND_TIMEOUT.toNanos()) {
                        return CompletableFuture.failedFuture(new Refused(new PublishOutcomeUnknownException(lost)));
                    }
                    CompletableFuture<Outcome> again = new CompletableFuture<>();
                    try {
                        scheduler.schedule(() -> settle(idempotency, fingerprint, attempt, lost, deadline)
                                .whenComplete((outcome, failed) -> {
                                    if (failed != null) {
                                        again.completeExceptionally(failed);
                                    } else {
                                        again.complete(outcome);
                                    }
                                }), pause, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException stopping) {
                        again.completeExceptionally(new Refused(new PublishOutcomeUnknownException(lost)));
                    }
                    return again;
                });
    }

    /**
     * Whether the command never ran: Lettuce refused it without sending it (it does so at once
     * while disconnected, {@code REJECT_COMMANDS}), or a Redis Cluster missing a shard refused it
     * ({@code CLUSTERDOWN}). Then there is nothing to settle.
     */
    private static boolean neverSent(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof io.lettuce.core.RedisException && cause.getMessage() != null
                && (cause.getMessage().startsWith("Currently not connected") || cause.getMessage().startsWith("CLUSTERDOWN"));
    }

    /** A refusal by the script itself: nothing was published, and there is nothing to settle. */
    private static final class Refused extends RuntimeException {
        private final RuntimeException reason;

        Refused(RuntimeException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }

        RuntimeException reason() {
            return reason;
        }
    }

    /** Called by the feed with how many local subscribers took an event this node published. */
    void echoed(String token, int delivered) {
        CompletableFuture<Integer> echo = echoes.remove(token);
        if (echo != null) {
            echo.complete(delivered);
        }
    }

    /** Stops waiting for the echoes: those that did not come count 0. */
    private void forget(List<String> tokens, List<CompletableFuture<Integer>> echoed) {
        for (int i = 0; i < tokens.size(); i++) {
            echoes.remove(tokens.get(i), echoed.get(i));
            echoed.get(i).complete(0);
        }
    }

    /** An echo may never come (the node left the channel, the feed is holding): give up after a while. */
    private void waitForEchoes(List<String> tokens, List<CompletableFuture<Integer>> echoed) {
        if (echoed.stream().allMatch(CompletableFuture::isDone)) {
            return;
        }
        try {
            scheduler.schedule(() -> forget(tokens, echoed), ECHO_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            forget(tokens, echoed);
        }
    }
}
