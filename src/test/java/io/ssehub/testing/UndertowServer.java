package io.ssehub.testing;

import io.ssehub.app.AppLifecycle;
import io.ssehub.http.FrontController;
import io.ssehub.http.filter.FilterOrder;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletContainer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Servlet;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * This web application in embedded Undertow, the servlet engine of WildFly. Undertow has no
 * {@code web.xml} parser of its own (WildFly parses it), so {@link #deployment} registers the
 * listener, the filters (from {@link FilterOrder}, the list {@code web.xml} declares) and the
 * servlet by hand; {@code
 * UndertowRegistrationTest} checks that this registration matches {@code web.xml}. The
 * context-params are read from the (overridden) {@code web.xml}, static resources come from
 * {@code src/main/webapp}, and classes from the test class loader, which has {@code target/classes}.
 */
public final class UndertowServer implements TestServer {

    public static final Factory FACTORY = new Factory("undertow", UndertowServer::new);
    static final long ASYNC_TIMEOUT_MILLIS = 30_000; // Undertow's AsyncContext default

    private final Map<String, String> params;
    private final Map<String, Class<? extends Servlet>> servlets;
    private final ServletContainer container = Servlets.newContainer();
    private final PathHandler paths = Handlers.path();
    private final Undertow undertow;
    private DeploymentInfo info;
    private DeploymentManager manager;

    private UndertowServer(Map<String, String> params, Map<String, Class<? extends Servlet>> servlets) throws Exception {
        this.params = params;
        this.servlets = servlets;
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(paths).build();
        undertow.start();
        try {
            deploy();
        } catch (Exception e) {
            undertow.stop();
            throw e;
        }
    }

    /** The deployment of this web application, as its {@code web.xml} declares it. */
    public static DeploymentInfo deployment(Path webXml) throws Exception {
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(UndertowServer.class.getClassLoader())
                .setContextPath(CONTEXT)
                .setDeploymentName("ssehub")
                .setDisplayName("ssehub")
                .setResourceManager(new PathResourceManager(WebApp.ROOT))
                .addListener(Servlets.listener(AppLifecycle.class));
        WebApp.contextParams(webXml).forEach(info::addInitParameter);
        for (FilterOrder filter : FilterOrder.values()) {
            info.addFilter(Servlets.filter(filter.filterName(), filter.type()).setAsyncSupported(true));
            info.addFilterUrlMapping(filter.filterName(), "/*", DispatcherType.REQUEST);
        }
        info.addServlet(Servlets.servlet("ssehub", FrontController.class)
                .setLoadOnStartup(1)
                .setAsyncSupported(true)
                .addMapping("/*"));
        return info;
    }

    private void deploy() throws Exception {
        info = deployment(WebApp.webXmlWith(params));
        servlets.forEach((pattern, type) ->
                info.addServlet(Servlets.servlet(type.getName(), type).setAsyncSupported(true).addMapping(pattern)));
        manager = container.addDeployment(info);
        try {
            manager.deploy();
            paths.addPrefixPath(CONTEXT, manager.start());
        } catch (Exception | Error e) {
            container.removeDeployment(info);
            throw e;
        }
    }

    @Override
    public URI base() {
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port + CONTEXT + "/");
    }

    @Override
    public long defaultAsyncTimeoutMillis() {
        return ASYNC_TIMEOUT_MILLIS;
    }

    @Override
    public void undeploy() throws Exception {
        paths.removePrefixPath(CONTEXT);
        manager.stop();
        manager.undeploy();
        container.removeDeployment(info);
    }

    @Override
    public void redeploy() throws Exception {
        deploy();
    }

    @Override
    public void close() throws Exception {
        try {
            if (container.getDeployment(info.getDeploymentName()) != null) {
                undeploy();
            }
        } finally {
            undertow.stop();
        }
    }
}
