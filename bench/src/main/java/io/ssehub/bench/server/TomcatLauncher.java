package io.ssehub.bench.server;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the product's WAR in embedded Tomcat 11 on 127.0.0.1 until the process is stopped.
 *
 * <p>Usage: {@code TomcatLauncher <war> <port>}. Configuration reaches the application as
 * {@code -Dssehub.*} system properties of this JVM. The connection limit is lifted above Tomcat's
 * default of 8192 (the harness holds 10,000 streams) and the accept queue is 4096. Any other
 * connector property can be set as {@code -Dbench.tomcat.<property>=<value>} (through
 * {@code --server-jvm-args}), e.g. {@code -Dbench.tomcat.socket.appReadBufSize=2048}.
 */
public final class TomcatLauncher {

    private TomcatLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = start(Path.of(args[0]).toAbsolutePath(), Integer.parseInt(args[1]));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println("tomcat started on 127.0.0.1:" + tomcat.getConnector().getLocalPort());
        tomcat.getServer().await();
    }

    /**
     * Deploys the WAR at {@code /} and starts the server.
     *
     * @param port the port on 127.0.0.1, or 0 for a free one
     */
    public static Tomcat start(Path war, int port) throws Exception {
        Path base = Files.createTempDirectory("ssehub-bench-tomcat");
        // Where Tomcat unpacks the WAR: it creates ROOT in it, but not the directory itself.
        Files.createDirectories(base.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxConnections", "20000");
        connector.setProperty("acceptCount", "4096");
        String prefix = "bench.tomcat.";
        for (String key : System.getProperties().stringPropertyNames()) {
            if (!key.startsWith(prefix)) {
                continue;
            }
            String property = key.substring(prefix.length());
            if (!connector.setProperty(property, System.getProperty(key))) {
                throw new IllegalArgumentException("Tomcat's connector has no property " + property);
            }
        }
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        Context context = tomcat.addWebapp("", war.toString());
        tomcat.start();
        if (!context.getState().isAvailable()) {
            throw new IllegalStateException("the web application failed to start");
        }
        return tomcat;
    }
}
