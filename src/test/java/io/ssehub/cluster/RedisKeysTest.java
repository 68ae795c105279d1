package io.ssehub.cluster;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Redis Cluster runs a script only if all its keys, and the shard channels it publishes on, are in
 * one slot: every name the backplane makes must hash to the slot of its prefix.
 */
class RedisKeysTest {

    /** Topic names a publisher may choose (Mercure's topics are any string) that carry braces of their own. */
    private static final List<String> TOPICS = List.of("news", "a{b}", "{x}", "}{", "{}", "{", "}", "ü{ß}");

    @Test
    void aTopicNamedWithAHashTagCannotMoveAnyKeyOrChannelOutOfTheHubsSlot() throws Exception {
        int slot = SlotHash.getSlot(RedisKeys.PREFIX);
        List<String> names = new ArrayList<>();
        for (Field field : RedisKeys.class.getDeclaredFields()) {
            // EVERYWHERE is what the broker joins, not a name in Redis: its channel is CHANNEL_PREFIX
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && !field.getName().equals("EVERYWHERE")) {
                field.setAccessible(true);
                names.add((String) field.get(null));
            }
        }
        for (Method method : RedisKeys.class.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) && method.getReturnType() == String.class
                    && List.of(method.getParameterTypes()).equals(List.of(String.class))
                    && !method.getName().equals("topicOfStream")) {
                method.setAccessible(true);
                for (String topic : TOPICS) {
                    names.add((String) method.invoke(null, topic));
                }
            }
        }
        assertFalse(names.isEmpty());
        for (String name : names) {
            assertEquals(slot, SlotHash.getSlot(name), name);
        }
    }

    @Test
    void aStreamKeyGivesBackItsTopic() {
        for (String topic : TOPICS) {
            assertEquals(topic, RedisKeys.topicOfStream(RedisKeys.stream(topic)));
        }
    }
}
