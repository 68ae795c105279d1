package io.ssehub.bench.load;

/** How a server under test wants a publish request: the complete HTTP/1.1 request bytes. */
@FunctionalInterface
public interface PublishFormat {

    /**
     * @param host    the Host header value, e.g. {@code 127.0.0.1:8080}
     * @param topic   the topic or channel
     * @param message the message text (ASCII in this harness)
     */
    byte[] request(String host, String topic, String message);
}
