package io.ssehub.bench.load;

import io.ssehub.bench.http.ResponseReader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One keep-alive HTTP/1.1 connection that sends publish requests one at a time and reads each
 * answer completely. Reconnects after an I/O error. Used by one thread at a time.
 */
public final class HttpPublisher implements AutoCloseable {

    private final InetSocketAddress server;
    private final PublishFormat format;
    private final String host;
    private final byte[] buffer = new byte[8192];
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public HttpPublisher(InetSocketAddress server, PublishFormat format) {
        this.server = server;
        this.format = format;
        this.host = server.getHostString() + ":" + server.getPort();
    }

    /**
     * Publishes one message and waits for the whole answer.
     *
     * @return the HTTP status, or -1 when the connection failed (it is reopened next time)
     */
    public int publish(String topic, String message) {
        try {
            if (socket == null) {
                connect();
            }
            out.write(format.request(host, topic, message));
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            return -1;
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(server, 5_000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = socket.getOutputStream();
    }

    /** Reads the whole answer (one request is outstanding, so nothing follows it) and returns its status. */
    private int readResponse() throws IOException {
        ResponseReader response = new ResponseReader();
        while (!response.complete()) {
            int n = in.read(buffer, 0, 1);
            if (n < 0) {
                throw new IOException("connection closed before the whole response");
            }
            response.feed(buffer, 0, n);
        }
        if (response.head().connectionClose()) {
            close();
        }
        return response.head().status();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        socket = null;
    }
}
