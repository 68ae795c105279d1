package io.ssehub.cluster;

import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.ssehub.hub.Broker;
import io.ssehub.hub.EventId;
import io.ssehub.hub.Frame;
import io.ssehub.hub.HistoryLimits;
import io.ssehub.hub.Hub;
import io.ssehub.hub.Message;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what Redis holds for some topics after a position, in pages: each reply of Redis holds at
 * most {@link #PAGE_ENTRIES} entries per topic and about {@link #PAGE_BYTES} bytes, so no request
 * makes Redis build, or Lettuce buffer, one reply of everything retained. The whole read is never
 * more than Redis retains ({@code ssehub.history.maxBytes}, enforced by the publish script).
 *
 * <p>Blocking: call it on the backplane's own threads, never on Lettuce's event loop, where the
 * replies are only received, not parsed.
 */
final class HistoryReader {

    static final int PAGE_ENTRIES = 256;
    static final int PAGE_BYTES = 1 << 20;

    private final Hub hub;
    private final HistoryLimits limits;
    private final RedisScriptingAsyncCommands<String, String> commands;
    private final LuaScript resume = LuaScript.load("resume.lua");
    private final LuaScript index = LuaScript.load("index.lua");

    HistoryReader(Hub hub, HistoryLimits limits, RedisScriptingAsyncCommands<String, String> commands) {
        this.hub = hub;
        this.limits = limits;
        this.commands = commands;
    }

    /**
     * Everything retained on the topics after {@code afterSeq}, each event once, in seq order.
     *
     * @throws io.ssehub.hub.BrokerUnavailableException Redis did not answer in time
     * @throws IllegalStateException Redis changed its epoch during the read
     */
    History read(List<String> topics, long afterSeq) {
        String[] keys = new String[2 + 2 * topics.size()];
        keys[0] = RedisKeys.SEQ;
        keys[1] = RedisKeys.EPOCH;
        long[] cursors = new long[topics.size()];
        for (int i = 0; i < topics.size(); i++) {
            keys[2 + 2 * i] = RedisKeys.stream(topics.get(i));
            keys[3 + 2 * i] = RedisKeys.meta(topics.get(i));
            cursors[i] = afterSeq;
        }
        Map<String, Long> trimmed = new LinkedHashMap<>();
        Map<String, Boolean> known = new HashMap<>();
        Map<Long, Frame> frames = new HashMap<>();
        String epoch = null;
        long current = 0;
        boolean more = true;
        while (more) {
            String[] args = new String[3 + topics.size()];
            args[0] = Long.toString(Math.max(1, limits.maxAge().toMillis()));
            args[1] = Integer.toString(PAGE_ENTRIES);
            args[2] = Integer.toString(PAGE_BYTES);
            for (int i = 0; i < topics.size(); i++) {
                args[3 + i] = Long.toString(cursors[i]);
            }
            List<?> reply = (List<?>) Broker.await(resume.run(commands, keys, args));
            String pageEpoch = reply.get(0).toString();
            if (epoch != null && !epoch.equals(pageEpoch)) {
                throw new IllegalStateException("Redis changed its epoch while history was read");
            }
            epoch = pageEpoch;
            current = Math.max(current, ((Number) reply.get(1)).longValue());
            more = false;
            for (int i = 0; i < topics.size(); i++) {
                String topic = topics.get(i);
                int at = 2 + 4 * i;
                known.merge(topic, ((Number) reply.get(at)).longValue() == 1, Boolean::logicalOr);
                trimmed.merge(topic, ((Number) reply.get(at + 1)).longValue(), Math::max);
                for (Object entry : (List<?>) reply.get(at + 2)) {
                    Frame frame = frame(epoch, topic, (List<?>) entry);
                    frames.putIfAbsent(frame.seq(), frame);
                    cursors[i] = frame.seq();
                }
                if (cursors[i] >= 0 && ((Number) reply.get(at + 3)).longValue() == 1) {
                    more = true;
                } else {
                    cursors[i] = -1;
                }
            }
        }
        List<Frame> ordered = new ArrayList<>(frames.values());
        ordered.sort(Comparator.comparingLong(Frame::seq));
        return new History(epoch, current, ordered, trimmed, known);
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
        String[] keys = {RedisKeys.SEQ, RedisKeys.EPOCH, RedisKeys.INDEX, RedisKeys.INDEX_META};
        List<Frame> frames = new ArrayList<>();
        String epoch = null;
        long current = 0;
        long trimmed = 0;
        long cursor = afterSeq;
        boolean more = true;
        while (more) {
            List<?> reply = (List<?>) Broker.await(index.run(commands, keys,
                    Long.toString(Math.max(1, limits.maxAge().toMillis())), Integer.toString(PAGE_ENTRIES),
                    Integer.toString(PAGE_BYTES), Long.toString(cursor)));
            String pageEpoch = reply.get(0).toString();
            if (epoch != null && !epoch.equals(pageEpoch)) {
                throw new IllegalStateException("Redis changed its epoch while history was read");
            }
            epoch = pageEpoch;
            current = Math.max(current, ((Number) reply.get(1)).longValue());
            trimmed = Math.max(trimmed, ((Number) reply.get(2)).longValue());
            for (Object pair : (List<?>) reply.get(3)) {
                List<?> pointer = (List<?>) pair;
                frames.add(frame(epoch, RedisKeys.topicOfStream(pointer.get(0).toString()), (List<?>) pointer.get(1)));
            }
            cursor = Math.max(cursor, ((Number) reply.get(5)).longValue());
            more = ((Number) reply.get(4)).longValue() == 1;
        }
        return new History(epoch, current, frames, Map.of(RedisKeys.EVERYWHERE, trimmed),
                Map.of(RedisKeys.EVERYWHERE, true));
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
