package io.ssehub.bench.server;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.ServletContainerInitializerInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HandlesTypes;
import org.xnio.Options;
import org.xnio.XnioWorker;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EventListener;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Runs the product's WAR in embedded Undertow 2.3 on 127.0.0.1 until the process is stopped.
 *
 * <p>Usage: {@code UndertowLauncher <war> <port>}. Configuration reaches the application as
 * {@code -Dssehub.*} system properties of this JVM. The accept queue is 4096, as for Jetty.
 * Undertow's own defaults (I/O threads, worker threads, buffers) are kept and printed.
 *
 * <p>Undertow cannot deploy a WAR by itself (WildFly does that around it), so this does the part
 * a servlet container needs: the WAR is unpacked into a temporary directory, its classes get a
 * class loader of their own ({@link WebAppClassLoader}), and {@code WEB-INF/web.xml} is turned
 * into a deployment ({@link WebXml}, {@link #deployment}); static resources come from the
 * unpacked root. The {@code ServletContainerInitializer}s the WAR's jars declare run too, as in
 * Jetty and Tomcat.
 */
public final class UndertowLauncher {

    static final int BACKLOG = 4096;

    /**
     * Undertow's category for the I/O errors clients cause. Its source says such errors should
     * generally be suppressed; left on, every SSE client that leaves is logged at ERROR with a
     * stack trace (UT005088, from the close of its response on an I/O thread): 2,346 of them, 2.6 MB,
     * for 4,000 clients leaving at once. Off, as {@code docs/deployment.md} advises for WildFly.
     * Held here: the JDK's logging keeps loggers only weakly, and would forget the level.
     */
    private static final Logger REQUEST_IO = Logger.getLogger("io.undertow.request.io");

    private UndertowLauncher() {
    }

    public static void main(String[] args) {
        REQUEST_IO.setLevel(Level.OFF);
        Path war = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Running running;
        try {
            running = start(war, port);
        } catch (Exception | Error e) {
            // The application may have started threads of its own that would keep this JVM alive.
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::stop));
        System.out.println("undertow started on 127.0.0.1:" + running.port()
                + " (" + settings(running.server()) + ")");
        // Undertow's I/O threads are not daemons: they keep the process running until it is stopped.
    }

    /** The WAR deployed and listening on 127.0.0.1:{@code port} (0: any free port). */
    public static Running start(Path war, int port) throws Exception {
        Path root = Files.createTempDirectory("ssehub-bench-undertow").toRealPath();
        WebAppClassLoader loader = null;
        DeploymentManager manager = null;
        try {
            unpack(war, root);
            loader = new WebAppClassLoader(root, UndertowLauncher.class.getClassLoader());
            WebXml web = WebXml.parse(root.resolve("WEB-INF/web.xml"));
            String name = war.getFileName().toString();
            manager = Servlets.newContainer().addDeployment(deployment(web, loader, root, name));
            manager.deploy();
            HttpHandler handler = manager.start();
            // Listening starts only now, so a connect that succeeds finds the application ready.
            Undertow server = Undertow.builder()
                    .addHttpListener(port, "127.0.0.1")
                    .setSocketOption(Options.BACKLOG, BACKLOG)
                    .setHandler(handler)
                    .build();
            server.start();
            return new Running(server, manager, loader, root);
        } catch (Exception | Error e) {
            try {
                if (manager != null) {
                    undeploy(manager);
                }
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            discard(loader, root);
            throw e;
        }
    }

    /** A started deployment and server, and what to clean up after them. */
    public record Running(Undertow server, DeploymentManager manager, WebAppClassLoader loader, Path root) {

        public int port() {
            return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        }

        /** Servlets and filters, then the context's listeners, then the listener socket; then the files. */
        public void stop() {
            try {
                undeploy(manager);
            } finally {
                server.stop();
                discard(loader, root);
            }
        }
    }

    /** What web.xml describes: classes from {@code loader}, resources from {@code root}, context path /. */
    static DeploymentInfo deployment(WebXml web, ClassLoader loader, Path root, String name)
            throws ClassNotFoundException {
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(loader)
                .setContextPath("/")
                .setDeploymentName(name)
                .setDisplayName(web.displayName() == null ? name : web.displayName())
                .setResourceManager(new PathResourceManager(root))
                // Filters are initialised at start, as Jetty and Tomcat do, so failures show before listening.
                .setEagerFilterInit(true);
        web.contextParams().forEach(info::addInitParameter);
        for (String listener : web.listeners()) {
            info.addListener(Servlets.listener(load(loader, listener, EventListener.class)));
        }
        for (WebXml.Filter filter : web.filters()) {
            FilterInfo registered = Servlets.filter(filter.name(), load(loader, filter.className(), Filter.class))
                    .setAsyncSupported(filter.asyncSupported());
            filter.initParams().forEach(registered::addInitParam);
            info.addFilter(registered);
        }
        for (WebXml.FilterMapping mapping : web.filterMappings()) {
            for (DispatcherType dispatcher : mapping.dispatchers()) {
                mapping.urlPatterns().forEach(url -> info.addFilterUrlMapping(mapping.filterName(), url, dispatcher));
                mapping.servletNames().forEach(servlet ->
                        info.addFilterServletNameMapping(mapping.filterName(), servlet, dispatcher));
            }
        }
        for (WebXml.Servlet servlet : web.servlets()) {
            ServletInfo registered = Servlets.servlet(servlet.name(), load(loader, servlet.className(), Servlet.class))
                    .setAsyncSupported(servlet.asyncSupported())
                    .addMappings(servlet.urlPatterns());
            if (servlet.loadOnStartup() != null) {
                registered.setLoadOnStartup(servlet.loadOnStartup());
            }
            servlet.initParams().forEach(registered::addInitParam);
            info.addServlet(registered);
        }
        info.addWelcomePages(web.welcomeFiles());
        for (ServletContainerInitializer initializer : ServiceLoader.load(ServletContainerInitializer.class, loader)) {
            if (initializer.getClass().isAnnotationPresent(HandlesTypes.class)) {
                throw new IllegalStateException(initializer.getClass().getName()
                        + " wants @HandlesTypes classes, but the WAR's classes are not scanned");
            }
            info.addServletContainerInitializer(new ServletContainerInitializerInfo(initializer.getClass(),
                    new ImmediateInstanceFactory<>(initializer), Set.of()));
        }
        return info;
    }

    private static <T> Class<? extends T> load(ClassLoader loader, String name, Class<T> type)
            throws ClassNotFoundException {
        return Class.forName(name, false, loader).asSubclass(type);
    }

    /** Extracts the WAR into {@code root}, refusing any entry whose path would end up outside it. */
    static void unpack(Path war, Path root) throws IOException {
        Path base = root.toRealPath();
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = base.resolve(entry.getName()).normalize();
                if (!target.startsWith(base)) {
                    throw new IOException(war + ": the entry " + entry.getName() + " points outside the directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
    }

    /** Undertow's configuration as it runs; its buffer settings are private fields, read reflectively. */
    private static String settings(Undertow server) {
        XnioWorker worker = server.getWorker();
        String buffers;
        try {
            buffers = field(server, "bufferSize") + " B " + (Boolean.TRUE.equals(field(server, "directBuffers"))
                    ? "direct" : "heap");
        } catch (ReflectiveOperationException | RuntimeException e) {
            buffers = "unknown (" + e + ")";
        }
        return "io threads " + worker.getIoThreadCount() + ", worker threads "
                + worker.getMXBean().getMaxWorkerPoolSize() + ", buffers " + buffers + ", backlog " + BACKLOG
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB";
    }

    private static Object field(Undertow server, String name) throws ReflectiveOperationException {
        Field field = Undertow.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(server);
    }

    private static void undeploy(DeploymentManager manager) {
        try {
            manager.stop();
        } catch (ServletException e) {
            e.printStackTrace();
        }
        manager.undeploy();
    }

    private static void discard(WebAppClassLoader loader, Path root) {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException e) {
                e.printStackTrace();
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("could not remove " + root + ": " + e);
        }
    }

    /**
     * The web application's classes: {@code WEB-INF/classes} and every {@code WEB-INF/lib/*.jar}.
     * Its parent is the platform class loader, so the JDK comes first (as in Tomcat) and nothing of
     * the launcher's class path is visible (the harness has its own copies of product classes);
     * only the servlet API, {@code jakarta.servlet.*}, is the launcher's, so the application and
     * Undertow agree on it.
     */
    static final class WebAppClassLoader extends URLClassLoader {

        static {
            registerAsParallelCapable();
        }

        private final ClassLoader container;

        WebAppClassLoader(Path root, ClassLoader container) throws IOException {
            super("webapp", urls(root), ClassLoader.getPlatformClassLoader());
            this.container = container;
        }

        private static URL[] urls(Path root) throws IOException {
            List<URL> urls = new ArrayList<>();
            Path classes = root.resolve("WEB-INF/classes");
            if (Files.isDirectory(classes)) {
                urls.add(classes.toUri().toURL());
            }
            Path lib = root.resolve("WEB-INF/lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> jars = Files.list(lib)) {
                    for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                        urls.add(jar.toUri().toURL());
                    }
                }
            }
            return urls.toArray(URL[]::new);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("jakarta.servlet.")) {
                return container.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
