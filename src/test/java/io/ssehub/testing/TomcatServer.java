package io.ssehub.testing;

import jakarta.servlet.Servlet;
import org.apache.catalina.Context;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ValveBase;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.tomcat.util.scan.StandardJarScanner;

import jakarta.servlet.ServletException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * This web application in embedded Tomcat 11, deployed from its directory with
 * {@code target/classes} as {@code WEB-INF/classes}. The connector's async timeout is cut to
 * {@value #ASYNC_TIMEOUT_MILLIS} ms, so a test can prove quickly that streams switch it off.
 */
public final class TomcatServer implements TestServer {

    static final long ASYNC_TIMEOUT_MILLIS = 1_500;

    public static final Factory FACTORY = new Factory("tomcat", TomcatServer::new);

    private final Tomcat tomcat;
    private final Connector connector;
    private final Map<String, String> params;
    private final Map<String, Class<? extends Servlet>> servlets;
    private Context context;
    private volatile Request lastStream;

    private TomcatServer(Map<String, String> params, Map<String, Class<? extends Servlet>> servlets) throws Exception {
        this.params = params;
        this.servlets = servlets;
        Path base = Files.createTempDirectory("ssehub-tomcat");
        base.toFile().deleteOnExit();
        tomcat = onLoopback(base);
        connector = tomcat.getConnector();
        connector.setAsyncTimeout(ASYNC_TIMEOUT_MILLIS);
        context = newContext();
        tomcat.start();
        if (!context.getState().isAvailable()) {
            throw new IllegalStateException("the web application failed to start");
        }
    }

    /** A Tomcat, not started, with one connector on a free port of 127.0.0.1 and no automatic deploys. */
    public static Tomcat onLoopback(Path baseDir) {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);
        return tomcat;
    }

    private Context newContext() throws Exception {
        // Built by hand rather than with addWebapp(), which starts the context at once on a running
        // host, before the descriptor and resources below are in place.
        StandardContext ctx = new StandardContext();
        ctx.setName(CONTEXT);
        ctx.setPath(CONTEXT);
        ctx.setDocBase(WebApp.ROOT.toString());
        ContextConfig config = new ContextConfig();
        config.setDefaultWebXml(Constants.NoDefaultWebXml);
        ctx.addLifecycleListener(config);
        ctx.setAltDDName(WebApp.webXmlWith(params, servlets).toString());
        WebResourceRoot resources = new StandardRoot(ctx);
        resources.addPreResources(new DirResourceSet(resources, "/WEB-INF/classes", WebApp.CLASSES.toString(), "/"));
        ctx.setResources(resources);
        ((StandardJarScanner) ctx.getJarScanner()).setScanClassPath(false);
        ((StandardJarScanner) ctx.getJarScanner()).setScanManifest(false);
        ctx.getPipeline().addValve(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, ServletException {
                if (request.getRequestURI().startsWith(CONTEXT + "/events/")) {
                    lastStream = request;
                }
                getNext().invoke(request, response);
            }
        });
        tomcat.getHost().addChild(ctx);
        return ctx;
    }

    @Override
    public URI base() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + CONTEXT + "/");
    }

    /**
     * Tomcat's own object behind the last stream request ({@code /events/...}) this server took, or
     * {@code null}: what Tomcat holds for a stream, as a test can see it. Tomcat recycles it for the
     * connection's next request.
     */
    public Request lastStreamRequest() {
        return lastStream;
    }

    @Override
    public long defaultAsyncTimeoutMillis() {
        return ASYNC_TIMEOUT_MILLIS;
    }

    @Override
    public void undeploy() throws Exception {
        tomcat.getHost().removeChild(context);
    }

    @Override
    public void redeploy() throws Exception {
        context = newContext();
        if (!context.getState().isAvailable()) {
            throw new IllegalStateException("the web application failed to start");
        }
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
