package io.ssehub.hub;

import java.nio.charset.StandardCharsets;

/** Encodes a frame as its data only, so byte budgets in tests are easy to count. */
final class TestEncoder implements FrameEncoder {

    @Override
    public byte[] encode(Message message, String id) {
        return message.data().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] encodeWithTopic(Message message, String id) {
        return (message.topic() + ":" + message.data()).getBytes(StandardCharsets.UTF_8);
    }
}
