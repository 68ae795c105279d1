package io.ssehub.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishers that send a publish request's head at once and then its body a byte a second, never
 * the last byte, as a slowloris attack does. One the server answers or cuts off starts again on a
 * new connection at the next second, so the attack keeps its size. One thread writes for all of
 * them; everything stops at {@link #close()}.
 */
public final class Tricklers implements AutoCloseable {

    private final InetSocketAddress server;
    private final byte[] head;
    private final byte[] body;
    private final Socket[] sockets;
    private final int[] sent;
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "tricklers");
        thread.setDaemon(true);
        return thread;
    });
    private volatile long cutOff;
    private volatile long connected;

    /**
     * Starts {@code count} of them against {@code server}, each trickling the body of
     * {@code request} (a complete publish request of the server's format).
     */
    public static Tricklers start(InetSocketAddress server, int count, byte[] request) {
        Tricklers tricklers = new Tricklers(server, count, request);
        tricklers.pace.scheduleAtFixedRate(tricklers::tick, 0, 1, TimeUnit.SECONDS);
        return tricklers;
    }

    private Tricklers(InetSocketAddress server, int count, byte[] request) {
        this.server = server;
        int end = new String(request, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n") + 4;
        if (end < 4 || request.length - end < 2) {
            throw new IllegalArgumentException("a request with a body of at least two bytes is needed");
        }
        this.head = Arrays.copyOf(request, end);
        this.body = Arrays.copyOfRange(request, end, request.length);
        this.sockets = new Socket[count];
        this.sent = new int[count];
    }

    /** Connections the server answered or closed, each followed by a new one. */
    public long cutOff() {
        return cutOff;
    }

    /** Connections opened so far. */
    public long connected() {
        return connected;
    }

    private void tick() {
        for (int i = 0; i < sockets.length; i++) {
            try {
                Socket socket = sockets[i];
                if (socket != null && socket.getInputStream().available() > 0) {
                    throw new IOException("answered"); // 408 (or anything else): start again
                }
                if (socket == null) {
                    socket = new Socket();
                    sockets[i] = socket;
                    sent[i] = 0;
                    socket.connect(server, 5_000);
                    connected++;
                    socket.getOutputStream().write(head);
                } else if (sent[i] < body.length - 1) {
                    socket.getOutputStream().write(body[sent[i]++]);
                }
            } catch (IOException e) {
                closeQuietly(sockets[i]);
                sockets[i] = null;
                cutOff++;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        pace.shutdownNow();
        pace.awaitTermination(10, TimeUnit.SECONDS);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
