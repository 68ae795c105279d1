package io.ssehub.testing;

import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.util.Map;

/** This web application in embedded Jetty 12 (ee10), deployed from its directory as a WebAppContext. */
public final class JettyServer implements TestServer {

    public static final Factory FACTORY = new Factory("jetty", JettyServer::new);

    private final Server server;
    private final ServerConnector connector;
    private final Map<String, String> params;
    private final Map<String, Class<? extends Servlet>> servlets;
    private WebAppContext webapp;

    private JettyServer(Map<String, String> params, Map<String, Class<? extends Servlet>> servlets) throws Exception {
        this.params = params;
        this.servlets = servlets;
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        webapp = newWebApp();
        server.setHandler(webapp);
        server.start();
    }

    private WebAppContext newWebApp() throws Exception {
        WebAppContext context = new WebAppContext();
        context.setContextPath(CONTEXT);
        context.setWar(WebApp.ROOT.toString());
        context.setDescriptor(WebApp.webXmlWith(params, servlets).toString());
        context.setExtraClasspath(WebApp.CLASSES.toString());
        context.setThrowUnavailableOnStartupException(true);
        return context;
    }

    @Override
    public URI base() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + CONTEXT + "/");
    }

    @Override
    public long defaultAsyncTimeoutMillis() {
        return 30_000;
    }

    @Override
    public void undeploy() throws Exception {
        webapp.stop();
    }

    @Override
    public void redeploy() throws Exception {
        webapp.start(); // a stopped WebAppContext starts afresh, with a new class loader
        if (!webapp.isAvailable()) {
            throw new IllegalStateException("the web application failed to start");
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
