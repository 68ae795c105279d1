package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.LeakWatch;
import io.ssehub.testing.Http;
import io.ssehub.testing.HostGreetingServlet;
import io.ssehub.testing.HostOrderServlet;
import io.ssehub.testing.LogCapture;
import io.ssehub.testing.SseClient;
import io.ssehub.testing.SseParser;
import io.ssehub.testing.TomcatServer;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Constants;
import org.apache.catalina.startup.ContextConfig;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host web application of its own (a servlet at {@code /hello}, its own {@code web.xml}) with the
 * embedding jar in {@code WEB-INF/lib}, in Tomcat: the jar's initializer mounts the hub under the
 * configured prefix, and the host's servlet and the hub both work. A second host servlet at
 * {@code /orders}, in the host's {@code WEB-INF/classes} like a real host's code, publishes through
 * the {@code SseHub} in its servlet context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedIT {

    static final Path JAR = Path.of("embedded/target/ssehub-embedded.jar");
    static final Path CORE = Path.of("core/target/ssehub-core.jar");
    static final Path WAR = Path.of("target/ssehub.war");
    static final String SCI = "META-INF/services/jakarta.servlet.ServletContainerInitializer";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String ORIGIN = "https://shop.example";

    private final LoggerContext hostLogging = (LoggerContext) LoggerFactory.getILoggerFactory();
    private Appender<?> hostAppender;
    private LogCapture log;
    private Tomcat tomcat;
    private Context host;
    private URI base;

    @BeforeAll
    void start() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the embedded module packages " + JAR + " before the WAR module's integration tests");
        // The host's logging is this JVM's (logback-test.xml): ssehub in WEB-INF/lib logs through it.
        hostAppender = hostLogging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("FILE");
        assertNotNull(hostAppender, "logback-test.xml's appender");
        log = new LogCapture();
        Path root = Files.createTempDirectory("ssehub-host");
        Files.createDirectories(root.resolve("WEB-INF/lib"));
        Files.copy(JAR, root.resolve("WEB-INF/lib/ssehub-embedded.jar"));
        Files.copy(CORE, root.resolve("WEB-INF/lib/ssehub-core.jar"));
        // In WEB-INF/classes, the webapp's class loader defines it, so it links to the jar's API
        // (loaded from the test class path, it would see another SseHub class than the hub's).
        Path orders = root.resolve("WEB-INF/classes/" + HostOrderServlet.class.getName().replace('.', '/') + ".class");
        Files.createDirectories(orders.getParent());
        try (InputStream compiled = HostOrderServlet.class.getResourceAsStream(HostOrderServlet.class.getSimpleName() + ".class")) {
            Files.copy(compiled, orders);
        }
        Files.writeString(root.resolve("WEB-INF/web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param>
                    <param-name>ssehub.embedded.prefix</param-name>
                    <param-value>/live/hub</param-value>
                  </context-param>
                  <context-param>
                    <param-name>ssehub.tick.interval</param-name>
                    <param-value>200ms</param-value>
                  </context-param>
                  <context-param>
                    <param-name>ssehub.log.format</param-name>
                    <param-value>json</param-value>
                  </context-param>
                  <context-param>
                    <param-name>ssehub.cors.origins</param-name>
                    <param-value>%s</param-value>
                  </context-param>
                  <servlet>
                    <servlet-name>greeting</servlet-name>
                    <servlet-class>%s</servlet-class>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>greeting</servlet-name>
                    <url-pattern>/hello</url-pattern>
                  </servlet-mapping>
                  <servlet>
                    <servlet-name>orders</servlet-name>
                    <servlet-class>%s</servlet-class>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>orders</servlet-name>
                    <url-pattern>/orders</url-pattern>
                  </servlet-mapping>
                </web-app>
                """.formatted(ORIGIN, HostGreetingServlet.class.getName(), HostOrderServlet.class.getName()));

        tomcat = TomcatServer.onLoopback(Files.createTempDirectory("ssehub-host-tomcat"));
        Connector connector = tomcat.getConnector();
        StandardContext context = new StandardContext();
        context.setName("/shop");
        context.setPath("/shop");
        context.setDocBase(root.toString());
        ContextConfig config = new ContextConfig();
        config.setDefaultWebXml(Constants.NoDefaultWebXml);
        context.addLifecycleListener(config);
        tomcat.getHost().addChild(context);
        host = context;
        tomcat.start();
        assertTrue(host.getState().isAvailable(), "the host application started");
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/shop/");
    }

    @AfterAll
    void stop() throws Exception {
        if (log != null) {
            log.close();
        }
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void theHostsOwnServletStillAnswersAndOurFiltersStayOffItsPaths() throws Exception {
        HttpResponse<String> hello = new Http(base).get("hello");
        assertEquals(200, hello.statusCode());
        assertEquals("hello from the host", hello.body());
        assertTrue(hello.headers().firstValue("X-Request-ID").isEmpty(), "ssehub's filters apply under its prefix only");
    }

    @Test
    void theHubServesItsApiUnderThePrefix() throws Exception {
        Http http = new Http(base.resolve("live/hub/"));
        assertEquals(200, http.get("healthz").statusCode());
        assertEquals(200, http.get("readyz").statusCode());
        assertTrue(http.get("metrics").body().contains("ssehub_streams_open"));
        assertTrue(http.get("").body().contains("<title>ssehub console</title>"), "the console");
        assertEquals(404, http.get("nowhere").statusCode());

        try (SseClient client = SseClient.open(base.resolve("live/hub/"), "events/embedded")) {
            assertEquals(200, client.status());
            assertNotNull(client.header("X-Request-ID"));
            assertEquals("ready", client.next(WAIT).type());
            HttpResponse<String> published = http.post("publish", "{\"topic\":\"embedded\",\"msg\":\"inside\"}");
            assertEquals(200, published.statusCode(), published.body());
            assertEquals("inside", client.next(WAIT).data());
        }
        try (SseClient ticks = SseClient.open(base.resolve("live/hub/"), "events/system")) {
            assertEquals("ready", ticks.next(WAIT).type());
            assertTrue(ticks.next(WAIT).data().startsWith("tick at"));
        }
    }

    @Test
    void theHostPublishesFromItsOwnCodeThroughSseHub() throws Exception {
        Http host = new Http(base);
        Http hub = new Http(base.resolve("live/hub/"));
        try (SseClient client = SseClient.open(base.resolve("live/hub/"), "events/orders")) {
            assertEquals("ready", client.next(WAIT).type());
            HttpResponse<String> placed = host.post("orders", "{\"order\":42}");
            assertEquals(201, placed.statusCode(), placed.body());
            String[] receipt = placed.body().split(" ");
            String id = receipt[0];
            assertEquals("1", receipt[1], "delivered to the one subscriber");

            SseParser.Event event = client.next(WAIT);
            assertEquals(id, event.id());
            assertEquals("order-placed", event.type());
            assertEquals("{\"order\":42}", event.data());

            HttpResponse<String> topic = hub.get("topics/orders");
            assertEquals(200, topic.statusCode(), topic.body());
            JsonNode info = new ObjectMapper().readTree(topic.body());
            assertEquals(id, info.get("lastEventId").asText());
            assertEquals(1, info.get("subscribers").asInt());
            assertEquals(1, info.get("retained").asInt());
            assertEquals("1 " + id + " 1", host.get("orders?topic=orders").body(), "the API's topic() agrees");

            // One sequence of ids for both ways in: POST /publish gets the next one.
            HttpResponse<String> posted = hub.post("publish", "{\"topic\":\"orders\",\"msg\":\"by http\"}");
            assertEquals(200, posted.statusCode(), posted.body());
            String next = new ObjectMapper().readTree(posted.body()).get("id").asText();
            assertEquals(next, client.next(WAIT).id());
            assertTrue(seq(next) > seq(id), next + " after " + id);
        }
        HttpResponse<String> empty = host.post("orders", "");
        assertEquals(400, empty.statusCode());
        assertEquals("\"msg\" must not be empty", empty.body(), "the same rule and words as POST /publish");
        assertEquals(404, host.get("orders?topic=nothing-here").statusCode());
    }

    private static long seq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    @Test
    void corsOriginsApplyWhenEmbedded() throws Exception {
        // The embedded filter list once lacked CorsFilter: ssehub.cors.origins was read and ignored.
        Http http = new Http(base.resolve("live/hub/"));
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(base.resolve("live/hub/publish"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST"));
        assertEquals(204, preflight.statusCode());
        assertEquals(ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("live/hub/healthz"))
                .header("Origin", ORIGIN));
        assertEquals(200, health.statusCode());
        assertEquals(ORIGIN, health.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(base.resolve("live/hub/healthz"))
                .header("Origin", "https://elsewhere.example"));
        assertNull(foreign.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> hostsOwn = http.send(HttpRequest.newBuilder(base.resolve("hello"))
                .header("Origin", ORIGIN));
        assertNull(hostsOwn.headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                "the host's own paths keep their own CORS rules");
    }

    @Test
    void jsonLogFormatLeavesTheHostsLoggingAlone() {
        // ssehub.log.format=json once reset the whole logging context: the host's appenders and levels were gone.
        ch.qos.logback.classic.Logger root = hostLogging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(hostAppender, root.getAppender("FILE"), "the host's appender survives");
        assertTrue(hostAppender.isStarted());
        assertNull(root.getAppender("STDOUT"), "no appender of logback-json.xml");
        assertEquals(Level.DEBUG, hostLogging.getLogger("io.ssehub").getLevel(), "the host's level for ssehub");
        assertTrue(log.lines("io.ssehub.app.LogFormat").stream()
                        .anyMatch(line -> line.contains("host application's logging configuration decides")),
                log.lines("io.ssehub.app").toString());
    }

    @Test
    void theBarePrefixRedirectsToItsSlashSoThePagesRelativeUrlsResolve() throws Exception {
        HttpResponse<String> bare = new Http(base).get("live/hub");
        assertEquals(302, bare.statusCode());
        assertEquals("/shop/live/hub/", URI.create(bare.headers().firstValue("Location").orElseThrow()).getPath());
    }

    @Test
    void onlyTheEmbeddingJarCarriesTheInitializerAndNoLoggingConfiguration() throws Exception {
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            assertNotNull(jar.getEntry(SCI));
        }
        try (ZipFile core = new ZipFile(CORE.toFile())) {
            assertNull(core.getEntry(SCI), "the Spring Boot integration builds on it and mounts the hub itself");
            assertNull(core.getEntry("logback.xml"), "a host application keeps its own logging");
            assertNotNull(core.getEntry("io/ssehub/web/index.html"));
        }
        try (ZipFile war = new ZipFile(WAR.toFile())) {
            assertNull(war.getEntry("WEB-INF/classes/" + SCI), "the standalone WAR is configured by web.xml alone");
        }
        assertFalse(Files.exists(Path.of("target/classes").resolve(SCI)));
    }

    @Test
    @Order(Integer.MAX_VALUE) // takes the host away from the other tests
    void undeployingTheHostLeavesNoThreadOfOurs() throws Exception {
        assertFalse(LeakWatch.threadsLeft().isEmpty());
        tomcat.getHost().removeChild(host);
        Await.until(WAIT, () -> LeakWatch.threadsLeft().isEmpty(), "no ssehub thread left");
        host = null;
    }
}
