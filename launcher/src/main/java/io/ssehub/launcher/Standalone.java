package io.ssehub.launcher;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.logging.JettyLoggingServiceProvider;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ClassMatcher;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * ssehub's WAR on embedded Jetty 12 (ee10), the container the benchmarks found fastest at fan-out
 * ({@code bench/RESULTS.md}), with the two pool settings they favoured: no reserved threads, and an
 * accept queue of 4096 for connect bursts. Loaded by {@link Main} in the launcher's own class
 * loader; the web application gets Jetty's usual class loader under it, so it runs exactly as it
 * would in a Jetty installation, with its own logback and {@code WEB-INF/lib}. Before Jetty starts it
 * lets G1 give idle heap back to the system ({@link HeapReturn}) and starts trimming the C heap
 * ({@link NativeHeapTrim}), each unless the command line chose.
 *
 * <p><b>Stopping.</b> On SIGTERM (and on any other orderly JVM exit) the hub stops as on an
 * undeploy, while the connector still serves the open connections: {@code /readyz} turns 503,
 * publishes in flight finish, every stream writes what it has queued and its {@code retry:} hint
 * and ends. Only then is Jetty stopped. SIGTERM then exits with status 0, a clean stop; without
 * the handler the JVM would report 143.
 */
public final class Standalone {

    private static final Logger log = LoggerFactory.getLogger(Standalone.class);
    private static final int ACCEPT_QUEUE = 4096;

    private Standalone() {
    }

    /** {@code args}: the WAR to deploy, and a work directory for Jetty's unpacked copy of it. */
    public static void main(String[] args) throws Exception {
        Address address = Address.from(System::getenv, System::getProperty);
        List<String> collector = new ArrayList<>(HeapReturn.apply());
        NativeHeapTrim.start().ifPresent(collector::add);
        if (!collector.isEmpty()) {
            log.info("returning idle heap to the system: {}", String.join(" ", collector));
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("jetty");
        threads.setReservedThreads(0);
        Server server = new Server(threads);
        // Jetty would name itself and its version in every answer's Server header: a stranger
        // needs nothing of that to use the hub, and it tells an attacker which advisories to try.
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address.host());
        connector.setPort(address.port());
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setWar(args[0]);
        webapp.setContextPath("/");
        webapp.setTempDirectory(Path.of(args[1], "webapp").toFile());
        // An invalid ssehub.* value fails the start, and so the process, with ssehub's message.
        webapp.setThrowUnavailableOnStartupException(true);
        // Jetty's log backend, on the launcher's class path, would be offered to the WAR's SLF4J
        // too, which could not load it (Jetty's classes are hidden from web applications) and
        // would say so at every start: the WAR logs through its own logback.
        webapp.addHiddenClassMatcher(new ClassMatcher(JettyLoggingServiceProvider.class.getProtectionDomain()
                .getCodeSource().getLocation().toString()));
        server.setHandler(new Stopping(webapp));
        server.setStopAtShutdown(false);

        AtomicBoolean stopped = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, webapp, stopped), "ssehub-stop"));
        Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        try {
            server.start();
        } catch (Exception e) {
            stop(server, webapp, stopped);
            throw e;
        }
        log.info("ssehub listening on http://{}:{}/", address.host(), connector.getLocalPort());
        server.join();
    }

    /**
     * The web application first, while the connector still carries its streams' last frames, then
     * Jetty. Runs once, on the JVM's shutdown hook thread.
     */
    private static void stop(Server server, WebAppContext webapp, AtomicBoolean stopped) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            webapp.stop();
        } catch (Exception e) {
            log.warn("ssehub did not stop cleanly", e);
        }
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("Jetty did not stop cleanly", e);
        }
    }
}
