package io.ssehub.bench.server;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the product's WAR in embedded Jetty 12 (ee10) on 127.0.0.1 until the process is stopped.
 *
 * <p>Usage: {@code JettyLauncher <war> <port>}. Configuration reaches the application as
 * {@code -Dssehub.*} system properties of this JVM. The accept queue is 4096 so a burst of
 * connects is not refused by the JVM's default backlog of 50.
 */
public final class JettyLauncher {

    private JettyLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Server server = start(Path.of(args[0]).toAbsolutePath(), Integer.parseInt(args[1]));
        server.setStopAtShutdown(true);
        System.out.println("jetty started on 127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
        server.join();
    }

    /**
     * Deploys the WAR at {@code /} and starts the server.
     *
     * @param port the port on 127.0.0.1, or 0 for a free one
     */
    public static Server start(Path war, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toString());
        webapp.setTempDirectory(Files.createTempDirectory("ssehub-bench-jetty").toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.start();
        return server;
    }
}
