package io.ssehub.bench.target;

import io.ssehub.bench.load.PublishFormat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;

/**
 * nginx with the nchan module as the reference: our own configuration in a private prefix
 * directory (config, pid, logs, temp files), a foreground master process that we start and stop
 * by pid, never the system service.
 *
 * <p>Locations: {@code /events/{channel}} is nchan's EventSource subscriber, {@code /pub/{channel}}
 * its publisher (the request body is the message); messages are kept in a buffer of
 * {@code bufferLength} per channel.
 */
public final class NchanTarget implements Target {

    private static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");

    private final Process process;
    private final Path errorLog;
    private final int port;
    private final int workers;
    private final int bufferLength;
    private volatile List<Long> lastPids;

    private NchanTarget(Process process, Path errorLog, int port, int workers, int bufferLength) {
        this.process = process;
        this.errorLog = errorLog;
        this.port = port;
        this.workers = workers;
        this.bufferLength = bufferLength;
    }

    /**
     * Writes the configuration under {@code prefix}, starts nginx in the foreground and waits until
     * it listens.
     */
    public static NchanTarget start(String nginx, Path prefix, int workers, int bufferLength)
            throws IOException, InterruptedException {
        int port = Processes.freePort();
        Files.createDirectories(prefix.resolve("tmp"));
        // Workers run as an unprivileged user and need to write their temp files here.
        Files.setPosixFilePermissions(prefix.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config(prefix, port, workers, bufferLength), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(nginx, "-p", prefix.toString(), "-c", conf.toString(),
                "-e", prefix.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(prefix.resolve("stdout.log").toFile()))
                .start();
        NchanTarget target = new NchanTarget(process, prefix.resolve("error.log"), port, workers, bufferLength);
        try {
            Processes.awaitPort(process, port, 30_000);
        } catch (IOException | InterruptedException e) {
            target.close();
            throw e;
        }
        return target;
    }

    static String config(Path prefix, int port, int workers, int bufferLength) {
        String tmp = prefix.resolve("tmp").toString();
        return """
                load_module %s;
                daemon off;
                master_process on;
                worker_processes %d;
                worker_rlimit_nofile 20000;
                pid %s;
                error_log %s warn;
                events {
                    worker_connections 16384;
                }
                http {
                    access_log off;
                    keepalive_requests 1000000;
                    keepalive_timeout 120s;
                    client_body_temp_path %s/body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    nchan_shared_memory_size 512m;
                    nchan_message_buffer_length %d;
                    nchan_message_timeout 10m;
                    server {
                        listen 127.0.0.1:%d backlog=4096;
                        location ~ ^/events/(.+)$ {
                            nchan_subscriber eventsource;
                            nchan_channel_id $1;
                        }
                        location ~ ^/pub/(.+)$ {
                            nchan_publisher;
                            nchan_channel_id $1;
                        }
                    }
                }
                """.formatted(MODULE, workers, prefix.resolve("nginx.pid"), prefix.resolve("error.log"),
                tmp, tmp, tmp, tmp, tmp, bufferLength, port);
    }

    @Override
    public String name() {
        return "nchan";
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public PublishFormat publishFormat() {
        return (host, topic, message) -> {
            byte[] body = message.getBytes(StandardCharsets.UTF_8);
            String head = "POST /pub/" + topic + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            return JvmTarget.concat(head.getBytes(StandardCharsets.US_ASCII), body);
        };
    }

    @Override
    public List<Long> pids() {
        List<Long> pids = io.ssehub.bench.stats.Proc.withChildren(process.pid());
        lastPids = pids;
        return pids;
    }

    @Override
    public OptionalLong liveHeapBytes() {
        return OptionalLong.empty();
    }

    /** Counts the master's alerts that a worker died of a signal (nginx then starts another). */
    @Override
    public int crashedWorkers() throws IOException {
        return Files.exists(errorLog) ? crashedWorkers(Files.readString(errorLog, StandardCharsets.UTF_8)) : 0;
    }

    /** The workers that {@code log} (nginx's error log) says died of a signal. */
    static int crashedWorkers(String log) {
        return (int) log.lines().filter(line -> line.contains("[alert]") && line.contains(" exited on signal ")).count();
    }

    @Override
    public String configuration() {
        return "nginx worker_processes=" + workers + " nchan_message_buffer_length=" + bufferLength
                + " nchan_shared_memory_size=512m";
    }

    @Override
    public void close() {
        List<Long> children = io.ssehub.bench.stats.Proc.withChildren(process.pid());
        children.remove(process.pid());
        if (children.isEmpty() && lastPids != null) {
            children = lastPids.subList(1, lastPids.size());
        }
        Processes.stop(process, children);
    }
}
