package io.ssehub.bench.load;

import io.ssehub.bench.stats.LatencyHistogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread with one selector driving many {@link SubscriberConnection}s. New connections are
 * opened gradually (at most {@code maxConnecting} without a response head at a time) so a burst
 * of thousands does not overflow the server's accept queue.
 *
 * <p>A reconnect storm: {@link #dropAndReconnect} drops every stream at once (a reset, as a
 * network failure or a load balancer's failover does) and reopens each with the
 * {@code Last-Event-ID} of the last event it received, as an {@code EventSource} does, at the
 * same bound of attempts awaiting their head. A reconnection that is refused (any status but 200)
 * or fails is counted and tried again {@link #RETRY_MILLIS} later, so every client comes back
 * eventually and the time it took says what the refusals cost. A stream the server ends after that
 * (its response's end, the connection's close or a reset) is reconnected as an {@code EventSource}
 * reconnects: after the last {@code retry:} the server sent it, or
 * {@link #DEFAULT_RECONNECTION_MILLIS} without one, with the {@code Last-Event-ID} of its last
 * complete event. Before the drop a server's close stays a close: it fails the run.
 *
 * <p>Threading: {@link #open}, {@link #dropAndReconnect}, {@link #minPrefix} and {@link #stop} may
 * be called from any thread; everything else runs on the loop thread. After {@link #stop} has
 * returned, the connections and the histogram may be read by the caller (the join gives the
 * happens-before).
 */
final class SelectorLoop implements Runnable {

    private final Selector selector;
    private final InetSocketAddress server;
    /** The request line and headers, each line ending in CRLF, without the blank line. */
    private final String requestHead;
    private final byte[] request;
    private final PoolCounters counters;
    private final int maxConnecting;
    private final AtomicInteger toOpen = new AtomicInteger();
    private final AtomicBoolean dropRequested = new AtomicBoolean();
    /** Dropped subscribers waiting for their first reconnection attempt, in drop order. */
    private final ArrayDeque<SubscriberConnection> reconnecting = new ArrayDeque<>();
    /** Refused or failed reconnections and streams the server ended, each due at a {@link System#nanoTime()}, soonest first. */
    private final PriorityQueue<Retry> retries = new PriorityQueue<>((a, b) -> Long.signum(a.due() - b.due()));
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private final List<SubscriberConnection> connections = new ArrayList<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    /** From the drop to each reconnection's 200 head. */
    private final LatencyHistogram reconnectTimes = new LatencyHistogram();
    private long droppedAt;
    private final Thread thread;
    private volatile boolean running = true;
    /** The least {@link Ledger#prefix()} over the subscribers not closed; kept after a drop only. */
    private volatile int minPrefix;
    private boolean trackPrefix;
    private long prefixAt;
    private int connecting;

    /** Pause before a refused or failed reconnection is tried again. */
    static final long RETRY_MILLIS = 1_000;

    /**
     * An {@code EventSource}'s reconnection time until a {@code retry:} sets one: the standard leaves
     * it to the browser ("a few seconds"); Chrome's is 3 s.
     */
    static final long DEFAULT_RECONNECTION_MILLIS = 3_000;

    private record Retry(SubscriberConnection connection, long due) {
    }

    /**
     * @param requestHead the subscription request's line and headers, each ending in CRLF, without
     *                    the blank line that ends the head
     */
    SelectorLoop(String name, InetSocketAddress server, String requestHead, PoolCounters counters, int maxConnecting)
            throws IOException {
        this.selector = Selector.open();
        this.server = server;
        this.requestHead = requestHead;
        this.request = (requestHead + "\r\n").getBytes(StandardCharsets.US_ASCII);
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

    /** Drops every open stream at once and reconnects each with its last event ID; see the class comment. */
    void dropAndReconnect() {
        dropRequested.set(true);
        selector.wakeup();
    }

    /** The least number of leading sequence numbers every subscriber still listening has received. */
    int minPrefix() {
        return minPrefix;
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

    LatencyHistogram reconnectTimes() {
        return reconnectTimes;
    }

    @Override
    public void run() {
        try {
            while (running) {
                if (dropRequested.getAndSet(false)) {
                    dropAll();
                }
                openSome();
                reconnectSome();
                selector.select(toOpen.get() > 0 || !reconnecting.isEmpty() || !retries.isEmpty() ? 5 : 100);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                updatePrefix();
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
                connect(connection);
            } catch (IOException e) {
                if (connection != null) {
                    failed(connection, e.toString());
                } else {
                    counters.failed.incrementAndGet();
                }
            }
        }
    }

    private void dropAll() {
        droppedAt = System.nanoTime();
        for (SubscriberConnection connection : connections) {
            if (connection.state == SubscriberConnection.State.STREAMING) {
                connection.drop();
                counters.dropped.incrementAndGet();
                if (!connection.lastEventId().isEmpty()) {
                    counters.droppedWithId.incrementAndGet();
                }
                reconnecting.add(connection);
            }
        }
        trackPrefix = true;
    }

    /** First attempts of dropped subscribers, then retries that are due, within the bound of attempts in flight. */
    private void reconnectSome() {
        while (connecting < maxConnecting && !reconnecting.isEmpty()) {
            reopen(reconnecting.poll());
        }
        long now = System.nanoTime();
        while (connecting < maxConnecting && !retries.isEmpty() && retries.peek().due() - now <= 0) {
            reopen(retries.poll().connection());
        }
    }

    private void reopen(SubscriberConnection connection) {
        String id = connection.lastEventId();
        byte[] resume = id.isEmpty() ? request
                : (requestHead + "Last-Event-ID: " + id + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        counters.reconnectAttempts.incrementAndGet();
        SocketChannel channel;
        try {
            channel = Sockets.openNonBlocking();
        } catch (IOException e) {
            counters.reconnectErrors.incrementAndGet();
            retryLater(connection);
            return;
        }
        connection.reopen(channel, resume);
        try {
            connect(connection);
        } catch (IOException e) {
            failed(connection, e.toString());
        }
    }

    /** Starts the connection's attempt, which counts as connecting from here until its head or its failure. */
    private void connect(SubscriberConnection connection) throws IOException {
        connecting++;
        SocketChannel channel = connection.channel();
        if (channel.connect(server)) {
            connection.finishConnect();
            channel.register(selector, SelectionKey.OP_WRITE, connection);
        } else {
            channel.register(selector, SelectionKey.OP_CONNECT, connection);
        }
    }

    private void retryLater(SubscriberConnection connection) {
        retryAfter(connection, RETRY_MILLIS);
    }

    private void retryAfter(SubscriberConnection connection, long millis) {
        retries.add(new Retry(connection, System.nanoTime() + millis * 1_000_000L));
    }

    private void updatePrefix() {
        long now = System.nanoTime();
        if (!trackPrefix || now - prefixAt < 10_000_000L) {
            return;
        }
        prefixAt = now;
        int min = Integer.MAX_VALUE;
        for (SubscriberConnection connection : connections) {
            if (connection.state != SubscriberConnection.State.CLOSED) {
                min = Math.min(min, connection.ledger.prefix());
            }
        }
        minPrefix = min;
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
                    if (connection.responseEnded()) {
                        ended(connection);
                    }
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
        if (connection.back) {
            counters.reReconnected.incrementAndGet();
        } else if (connection.resuming) {
            connection.back = true;
            reconnectTimes.record(System.nanoTime() - droppedAt);
            counters.reconnected.incrementAndGet();
        } else {
            counters.connected.incrementAndGet();
        }
    }

    /** An answer other than 200: counted by status; a reconnection is tried again, a first connection fails. */
    void refused(SubscriberConnection connection, int status) {
        (status == 503 ? counters.status503 : counters.statusOther).incrementAndGet();
        if (connection.refusals++ == 0) {
            counters.refusedSubscribers.incrementAndGet();
        }
        counters.lastRefusal.set(System.nanoTime());
        failed(connection, "HTTP " + status, true);
    }

    void failed(SubscriberConnection connection, String why) {
        failed(connection, why, false);
    }

    /** @param answered whether the server answered (with another status than 200) rather than the connection failing */
    private void failed(SubscriberConnection connection, String why, boolean answered) {
        SubscriberConnection.State state = connection.state;
        boolean attempting = state != SubscriberConnection.State.STREAMING
                && state != SubscriberConnection.State.CLOSED && state != SubscriberConnection.State.DROPPED;
        if (attempting) {
            connecting--;
        }
        if (attempting && connection.resuming) {
            if (!answered) {
                counters.reconnectErrors.incrementAndGet();
            }
            connection.state = SubscriberConnection.State.DROPPED;
            Sockets.reset(connection.channel());
            retryLater(connection);
            return;
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

    /** The server ended a stream, or the connection broke: after the storm's drop it is resumed, before it is over. */
    private void ended(SubscriberConnection connection) {
        if (connection.state == SubscriberConnection.State.STREAMING && connection.resuming) {
            counters.serverCloses.incrementAndGet();
            connection.state = SubscriberConnection.State.DROPPED;
            Sockets.reset(connection.channel());
            retryAfter(connection, connection.reconnectionMillis(DEFAULT_RECONNECTION_MILLIS));
        } else if (connection.state == SubscriberConnection.State.STREAMING) {
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
