package io.ssehub.it;

import io.ssehub.testing.Await;
import io.ssehub.testing.Http;
import io.ssehub.testing.TomcatServer;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built WAR itself, as a user deploys it: its own {@code WEB-INF/lib} and logging, and every
 * {@code ServletContainerInitializer} its jars bring, in embedded Tomcat. The other Tomcat tests
 * deploy the classes with the test's libraries, which no container scans for initializers.
 * {@link StandaloneIT} runs the same file with {@code java -jar}.
 */
class TomcatWarIT {

    static final Path WAR = Path.of("target/ssehub.war");

    @Test
    void stoppingLogsToTheLastLine(@TempDir Path base) throws Exception {
        assertTrue(Files.isRegularFile(WAR), "the build packages " + WAR + " before the integration tests");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream original = System.out;
        // The WAR logs to the console through its own logback, which looks System.out up per line.
        System.setOut(new PrintStream(new Both(original, console), true, StandardCharsets.UTF_8));
        Tomcat tomcat = TomcatServer.onLoopback(base);
        try {
            Files.createDirectories(base.resolve("webapps")); // where Tomcat unpacks the WAR
            Connector connector = tomcat.getConnector();
            Context context = tomcat.addWebapp("", WAR.toAbsolutePath().toString());
            context.setParentClassLoader(new AsTomcatLib(TomcatWarIT.class.getClassLoader()));
            tomcat.start();
            URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
            assertEquals(200, new Http(uri).get("readyz").statusCode());
            assertTrue(text(console).contains("ssehub started"), "the WAR's log reaches the console");
            // The standalone launcher rides outside WEB-INF: never on the class path, never served.
            Http http = new Http(uri);
            assertEquals(404, http.get("io/ssehub/launcher/Main.class").statusCode());
            assertEquals(404, http.get("launcher/lib/").statusCode());
            assertEquals(200, http.get("").statusCode(), "the console");

            tomcat.stop();

            // Logging stops after the hub, not before it: what shutdown reports is not lost.
            Await.until(Duration.ofSeconds(10), () -> text(console).contains("ssehub stopped"),
                    "the line \"ssehub stopped\" on the console");
        } finally {
            System.setOut(original);
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static String text(ByteArrayOutputStream console) {
        synchronized (console) {
            return console.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The test's class path as Tomcat's own {@code lib} would be: the container's classes, but not
     * the test's {@code logback-test.xml} (the WAR's logback would find it first and log to the
     * tests' file) nor the initializers of the test's libraries (the WAR's logback would be set up
     * twice, once from the test's copy of the jar).
     */
    private static final class AsTomcatLib extends ClassLoader {
        private static final Set<String> HIDDEN = Set.of("logback-test.xml",
                "META-INF/services/jakarta.servlet.ServletContainerInitializer");

        AsTomcatLib(ClassLoader parent) {
            super(parent);
        }

        @Override
        public URL getResource(String name) {
            return HIDDEN.contains(name) ? null : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return HIDDEN.contains(name) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }

    /** Writes to the real console and keeps a copy. */
    private static final class Both extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream copy;

        Both(OutputStream first, ByteArrayOutputStream copy) {
            this.first = first;
            this.copy = copy;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            synchronized (copy) {
                copy.write(b);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            synchronized (copy) {
                copy.write(bytes, offset, length);
            }
        }
    }
}
