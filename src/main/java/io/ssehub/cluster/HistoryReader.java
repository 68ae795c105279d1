package io.ssehub.cluster;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.ssehub.hub.Broker;
import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongFunction;

/**
 * Reads what Redis holds for some topics after a position, in pages: each reply of Redis holds at
 * most {@link #PAGE_ENTRIES} entries and about {@link #PAGE_BYTES} bytes, in seq order over all the
 * topics, so no request makes Redis build, or Lettuce buffer, one reply of everything retained. A
 * resume hands each page to its stream and reads the next when the stream has written it
 * ({@link PagedReplay}); a resync reads the whole gap ({@link #read}), never more than Redis
 * retains ({@code ssehub.history.maxBytes}, enforced by the publish script).
 *
 * <p>Threading: a page's reply is received on Lettuce's event loop and parsed on the backplane's
 * own threads ({@code worker}); {@link #read} and {@link #readEverywhere} block, so call them there
 * too, never on Lettuce's event loop.
 */
final class HistoryReader {

    static final int PAGE_ENTRIES = 256;
    static final int PAGE_BYTES = 1 << 20;

    /**
     * One page.
     *
     * @param history what it read: its frames, and the marks of the topics as Redis had them
     * @param more    whether Redis holds more after {@code last}
     * @param last    the last seq the page examined (kept, or past the age limit), or -1 when none:
     *                the next page starts after it
     */
    record Page(History history, boolean more, long last) {
    }

    private final Hub hub;
    private final HistoryLimits limits;
    private final RedisScriptingAsyncCommands<String, String> commands;
    private final Executor worker;
    private final LuaScript resume = LuaScript.load("resume.lua");
    private final LuaScript index = LuaScript.load("index.lua");

    HistoryReader(Hub hub, HistoryLimits limits, RedisScriptingAsyncCommands<String, String> commands, Executor worker) {
        this.hub = hub;
        this.limits = limits;
        this.commands = commands;
        this.worker = worker;
    }

    /**
     * Everything retained on the topics after {@code afterSeq}, each event once, in seq order.
     *
     * @throws io.ssehub.hub.BrokerUnavailableException Redis did not answer in time
     * @throws IllegalStateException Redis changed its epoch during the read
     */
    History read(List<String> topics, long afterSeq) {
        return all(after -> pageNow(topics, after, -1), afterSeq);
    }

    /**
     * Everything retained on any topic after {@code afterSeq}, through the cross-topic index, each
     * event once, in seq order: what a subscriber of topic selectors may have missed. Its
     * {@code trimmed} holds the highest seq forgotten anywhere, under {@link RedisKeys#EVERYWHERE}.
     *
     * @throws io.ssehub.hub.BrokerUnavailableException Redis did not answer in time
     * @throws IllegalStateException Redis changed its epoch during the read
     */
    History readEverywhere(long afterSeq) {
        return all(after -> pageEverywhereNow(after, -1), afterSeq);
    }

    private static History all(LongFunction<Page> pageAfter, long afterSeq) {
        List<Frame> frames = new ArrayList<>();
        Map<String, Long> trimmed = new LinkedHashMap<>();
        Map<String, Boolean> known = new HashMap<>();
        String epoch = null;
        long current = 0;
        long cursor = afterSeq;
        while (true) {
            Page page = pageAfter.apply(cursor);
            History read = page.history();
            if (epoch != null && !epoch.equals(read.epoch())) {
                throw new IllegalStateException("Redis changed its epoch while history was read");
            }
            epoch = read.epoch();
            current = Math.max(current, read.current());
            frames.addAll(read.frames());
            read.trimmed().forEach((topic, seq) -> trimmed.merge(topic, seq, Math::max));
            read.known().forEach((topic, yes) -> known.merge(topic, yes, Boolean::logicalOr));
            if (!page.more()) {
                return new History(epoch, current, frames, trimmed, known);
            }
            cursor = page.last();
        }
    }

    /**
     * The page of the topics after {@code afterSeq} (-1: none, only the marks) and at most
     * {@code through} (-1: no bound), parsed on the worker.
     */
    CompletableFuture<Page> page(List<String> topics, long afterSeq, long through) {
        return topicsReply(topics, afterSeq, through).thenApplyAsync(reply -> topicsPage(topics, reply), worker);
    }

    /**
     * {@link #page}, waited for and parsed on the calling thread.
     *
     * @throws io.ssehub.hub.BrokerUnavailableException Redis did not answer in time
     */
    Page pageNow(List<String> topics, long afterSeq, long through) {
        return topicsPage(topics, Broker.await(topicsReply(topics, afterSeq, through)));
    }

    /** The page of every topic after {@code afterSeq} and at most {@code through}, through the index, parsed on the worker. */
    CompletableFuture<Page> pageEverywhere(long afterSeq, long through) {
        return indexReply(afterSeq, through).thenApplyAsync(this::indexPage, worker);
    }

    /** {@link #pageEverywhere}, waited for and parsed on the calling thread. */
    Page pageEverywhereNow(long afterSeq, long through) {
        return indexPage(Broker.await(indexReply(afterSeq, through)));
    }

    private CompletableFuture<Object> topicsReply(List<String> topics, long afterSeq, long through) {
        String[] keys = new String[2 + 2 * topics.size()];
        keys[0] = RedisKeys.SEQ;
        keys[1] = RedisKeys.EPOCH;
        for (int i = 0; i < topics.size(); i++) {
            keys[2 + 2 * i] = RedisKeys.stream(topics.get(i));
            keys[3 + 2 * i] = RedisKeys.meta(topics.get(i));
        }
        return resume.run(commands, keys, maxAge(), Integer.toString(PAGE_ENTRIES), Integer.toString(PAGE_BYTES),
                Long.toString(afterSeq), Long.toString(through));
    }

    private Page topicsPage(List<String> topics, Object reply) {
        List<?> values = (List<?>) reply;
        String epoch = values.get(0).toString();
        List<?> marks = (List<?>) values.get(2);
        Map<String, Long> trimmed = new LinkedHashMap<>();
        Map<String, Boolean> known = new HashMap<>();
        for (int i = 0; i < topics.size(); i++) {
            known.merge(topics.get(i), number(marks.get(2 * i)) == 1, Boolean::logicalOr);
            trimmed.merge(topics.get(i), number(marks.get(2 * i + 1)), Math::max);
        }
        List<Frame> frames = new ArrayList<>();
        for (Object kept : (List<?>) values.get(3)) {
            List<?> pair = (List<?>) kept;
            frames.add(frame(epoch, topics.get((int) number(pair.get(0)) - 1), (List<?>) pair.get(1)));
        }
        return new Page(new History(epoch, number(values.get(1)), frames, trimmed, known),
                number(values.get(4)) == 1, number(values.get(5)));
    }

    private CompletableFuture<Object> indexReply(long afterSeq, long through) {
        String[] keys = {RedisKeys.SEQ, RedisKeys.EPOCH, RedisKeys.INDEX, RedisKeys.INDEX_META};
        return index.run(commands, keys, maxAge(), Integer.toString(PAGE_ENTRIES), Integer.toString(PAGE_BYTES),
                Long.toString(afterSeq), Long.toString(through));
    }

    private Page indexPage(Object reply) {
        List<?> values = (List<?>) reply;
        String epoch = values.get(0).toString();
        List<Frame> frames = new ArrayList<>();
        for (Object pair : (List<?>) values.get(3)) {
            List<?> pointer = (List<?>) pair;
            frames.add(frame(epoch, RedisKeys.topicOfStream(pointer.get(0).toString()), (List<?>) pointer.get(1)));
        }
        return new Page(new History(epoch, number(values.get(1)), frames,
                Map.of(RedisKeys.EVERYWHERE, number(values.get(2))), Map.of(RedisKeys.EVERYWHERE, true)),
                number(values.get(4)) == 1, number(values.get(5)));
    }

    private String maxAge() {
        return Long.toString(Math.max(1, limits.maxAge().toMillis()));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    /**
     * One stream entry: {@code {"<seq>-0", {field, value, ...}}} of the stream of {@code topic};
     * an entry of several topics names them all, the canonical first, and one with a publisher's
     * id carries it.
     */
    private Frame frame(String epoch, String topic, List<?> entry) {
        String streamId = entry.get(0).toString();
        List<?> fields = (List<?>) entry.get(1);
        Map<String, String> f = new HashMap<>();
        for (int k = 0; k + 1 < fields.size(); k += 2) {
            f.put(fields.get(k).toString(), fields.get(k + 1).toString());
        }
        long seq = Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
        String type = f.getOrDefault("t", "");
        String retry = f.getOrDefault("r", "");
        List<String> topics = f.containsKey("a") ? List.of(f.get("a").split("\n", -1)) : List.of(topic);
        Message message = new Message(topics.get(0), f.getOrDefault("d", ""), type.isEmpty() ? null : type,
                retry.isEmpty() ? null : Long.valueOf(retry), topics.subList(1, topics.size()),
                "1".equals(f.get("p")), f.get("c"));
        return hub.frame(new EventId(epoch.isEmpty() ? "none" : epoch, seq), message);
    }
}
