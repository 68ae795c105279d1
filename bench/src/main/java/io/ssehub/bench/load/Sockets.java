package io.ssehub.bench.load;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/** The client sockets of the generator's selector loops: how they are opened and closed. */
final class Sockets {

    private Sockets() {
    }

    /** A new unconnected channel, non-blocking, with TCP_NODELAY. */
    static SocketChannel openNonBlocking() throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Closes with a reset (SO_LINGER 0), so no TIME_WAIT is left; never throws. */
    static void reset(SocketChannel channel) {
        try {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException ignored) {
            // not connected: nothing to reset
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
