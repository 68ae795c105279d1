package io.ssehub.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Event streams opened with a plain {@code GET} and held open without reading what follows the
 * answer's status line: subscribers that cost the server what their subscription costs, nothing
 * more. Closed together by {@link #close()}.
 */
public final class HeldStreams implements AutoCloseable {

    private final InetSocketAddress server;
    private final List<Socket> sockets = new ArrayList<>();

    public HeldStreams(InetSocketAddress server) {
        this.server = server;
    }

    /**
     * Asks for {@code pathAndQuery} and returns the answer's status; a 200 stream is held, any other
     * answer's connection is closed.
     */
    public int open(String pathAndQuery) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(server, 5_000);
            socket.setSoTimeout(30_000);
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + server.getHostString() + ":"
                    + server.getPort() + "\r\nAccept: text/event-stream\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            int status = status(socket.getInputStream());
            if (status == 200) {
                sockets.add(socket);
                return status;
            }
            socket.close();
            return status;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The status code of {@code HTTP/1.1 NNN ...}, read byte by byte so nothing after it is consumed. */
    private static int status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        String[] parts = line.toString().split(" ");
        if (parts.length < 2) {
            throw new IOException("no status line: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    /** Streams held open. */
    public int held() {
        return sockets.size();
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        sockets.clear();
    }
}
