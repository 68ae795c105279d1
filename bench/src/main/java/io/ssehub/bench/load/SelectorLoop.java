package io.ssehub.bench.load;

import io.ssehub.bench.stats.LatencyHistogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread with one selector driving many {@link SubscriberConnection}s. New connections are
 * opened gradually (at most {@code maxConnecting} without a response head at a time) so a burst
 * of thousands does not overflow the server's accept queue.
 *
 * <p>Threading: {@link #open} and {@link #stop} may be called from any thread; everything else
 * runs on the loop thread. After {@link #stop} has returned, the connections and the histogram
 * may be read by the caller (the join gives the happens-before).
 */
final class SelectorLoop implements Runnable {

    private final Selector selector;
    private final InetSocketAddress server;
    private final byte[] request;
    private final PoolCounters counters;
    private final int maxConnecting;
    private final AtomicInteger toOpen = new AtomicInteger();
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final List<SubscriberConnection> connections = new ArrayList<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Thread thread;
    private volatile boolean running = true;
    private int connecting;

    SelectorLoop(String name, InetSocketAddress server, byte[] request, PoolCounters counters, int maxConnecting)
            throws IOException {
        this.selector = Selector.open();
        this.server = server;
        this.request = request;
        this.counters = counters;
        this.maxConnecting = maxConnecting;
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void open(int count) {
        toOpen.addAndGet(count);
        selector.wakeup();
    }

    /** Stops the loop, closes every connection (with a reset, so no TIME_WAIT is left) and waits. */
    void stop() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(30_000);
    }

    List<SubscriberConnection> connections() {
        return connections;
    }

    LatencyHistogram latency() {
        return latency;
    }

    @Override
    public void run() {
        try {
            while (running) {
                openSome();
                selector.select(toOpen.get() > 0 ? 5 : 100);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException e) {
            counters.loopErrors.incrementAndGet();
            e.printStackTrace();
        } finally {
            closeAll();
        }
    }

    private void openSome() {
        while (connecting < maxConnecting && toOpen.get() > 0) {
            toOpen.decrementAndGet();
            SubscriberConnection connection = null;
            try {
                SocketChannel channel = Sockets.openNonBlocking();
                connection = new SubscriberConnection(channel, request, this);
                connections.add(connection);
                connecting++;
                if (channel.connect(server)) {
                    connection.finishConnect();
                    channel.register(selector, SelectionKey.OP_WRITE, connection);
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, connection);
                }
            } catch (IOException e) {
                if (connection != null) {
                    failed(connection, e.toString());
                } else {
                    counters.failed.incrementAndGet();
                }
            }
        }
    }

    private void handle(SelectionKey key) {
        SubscriberConnection connection = (SubscriberConnection) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                if (connection.finishConnect()) {
                    key.interestOps(SelectionKey.OP_WRITE);
                }
                return;
            }
            if (key.isWritable()) {
                if (connection.sendRequest()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
                return;
            }
            if (key.isReadable()) {
                buffer.clear();
                int n = connection.channel().read(buffer);
                if (n < 0) {
                    ended(connection);
                } else if (n > 0) {
                    connection.received(buffer.array(), n);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (connection.state == SubscriberConnection.State.STREAMING) {
                ended(connection);
            } else {
                failed(connection, e.toString());
            }
        }
    }

    // ---- called by connections on this thread ----------------------------------------------

    void connected(SubscriberConnection connection) {
        connecting--;
        counters.connected.incrementAndGet();
    }

    void failed(SubscriberConnection connection, String why) {
        if (connection.state != SubscriberConnection.State.STREAMING
                && connection.state != SubscriberConnection.State.CLOSED) {
            connecting--;
        }
        if (counters.failed.incrementAndGet() <= 3) {
            System.err.println("subscriber failed: " + why);
        }
        close(connection);
    }

    void delivered(long latencyNanos) {
        latency.record(latencyNanos);
        counters.delivered.increment();
    }

    void warmupReceived(boolean first) {
        counters.warmupReceipts.increment();
        if (first) {
            counters.warmedUp.incrementAndGet();
        }
    }

    private void ended(SubscriberConnection connection) {
        if (connection.state == SubscriberConnection.State.STREAMING) {
            counters.closedByServer.incrementAndGet();
            close(connection);
        } else {
            failed(connection, "connection closed before the response head");
        }
    }

    private void close(SubscriberConnection connection) {
        connection.state = SubscriberConnection.State.CLOSED;
        Sockets.reset(connection.channel());
    }

    private void closeAll() {
        for (SubscriberConnection connection : connections) {
            if (connection.state != SubscriberConnection.State.CLOSED) {
                close(connection);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
