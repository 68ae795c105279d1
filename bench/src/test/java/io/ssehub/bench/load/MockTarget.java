package io.ssehub.bench.load;

import io.ssehub.bench.stats.Proc;
import io.ssehub.bench.target.Target;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

/** A {@link MockHub} seen as a server under test; its "process" is this JVM. */
final class MockTarget implements Target {

    private final MockHub hub;

    MockTarget(MockHub hub) {
        this.hub = hub;
    }

    @Override
    public String name() {
        return "mock";
    }

    @Override
    public InetSocketAddress address() {
        return hub.address();
    }

    @Override
    public String subscribePath(String topic) {
        return "/events/" + topic;
    }

    /** A publish as {@link MockHub} takes it: a JSON body with topic and message. */
    static final PublishFormat FORMAT = (host, topic, message) -> {
        byte[] body = ("{\"topic\":\"" + topic + "\",\"msg\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /publish HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    };

    @Override
    public PublishFormat publishFormat() {
        return FORMAT;
    }

    @Override
    public List<Long> pids() {
        return List.of(Proc.self());
    }

    @Override
    public OptionalLong liveHeapBytes() {
        return OptionalLong.empty();
    }

    @Override
    public String configuration() {
        return "mock";
    }

    @Override
    public void close() {
        hub.close();
    }
}
