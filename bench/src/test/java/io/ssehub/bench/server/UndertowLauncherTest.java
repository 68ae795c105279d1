package io.ssehub.bench.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link UndertowLauncher} deploying a small WAR built here from {@link Probes}: classes from its
 * own {@code WEB-INF/lib} and {@code WEB-INF/classes} only, filters in mapping order, static
 * files from the WAR's root, and a WAR whose entries point outside the directory refused.
 */
class UndertowLauncherTest {

    private static final String PACKAGE = "io/ssehub/bench/server/";

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <display-name>probe</display-name>
              <context-param><param-name>greeting</param-name><param-value>hello</param-value></context-param>
              <listener><listener-class>io.ssehub.bench.server.Probes$Listener</listener-class></listener>
              <!-- declared in the opposite order of their mappings: the mappings decide -->
              <filter><filter-name>second</filter-name><filter-class>io.ssehub.bench.server.Probes$Tag</filter-class>
                <async-supported>true</async-supported>
                <init-param><param-name>tag</param-name><param-value>2</param-value></init-param></filter>
              <filter><filter-name>first</filter-name><filter-class>io.ssehub.bench.server.Probes$Tag</filter-class>
                <async-supported>true</async-supported>
                <init-param><param-name>tag</param-name><param-value>1</param-value></init-param></filter>
              <filter><filter-name>onError</filter-name><filter-class>io.ssehub.bench.server.Probes$Tag</filter-class>
                <async-supported>true</async-supported>
                <init-param><param-name>tag</param-name><param-value>E</param-value></init-param></filter>
              <filter><filter-name>byName</filter-name><filter-class>io.ssehub.bench.server.Probes$Tag</filter-class>
                <async-supported>true</async-supported>
                <init-param><param-name>tag</param-name><param-value>3</param-value></init-param></filter>
              <filter-mapping><filter-name>first</filter-name><url-pattern>/*</url-pattern></filter-mapping>
              <filter-mapping><filter-name>onError</filter-name><url-pattern>/*</url-pattern>
                <dispatcher>ERROR</dispatcher></filter-mapping>
              <filter-mapping><filter-name>second</filter-name><url-pattern>/echo/*</url-pattern></filter-mapping>
              <filter-mapping><filter-name>byName</filter-name><servlet-name>echo</servlet-name></filter-mapping>
              <servlet><servlet-name>echo</servlet-name><servlet-class>io.ssehub.bench.server.Probes$Echo</servlet-class>
                <init-param><param-name>p</param-name><param-value>v</param-value></init-param>
                <load-on-startup>1</load-on-startup><async-supported>true</async-supported></servlet>
              <servlet-mapping><servlet-name>echo</servlet-name><url-pattern>/echo/*</url-pattern></servlet-mapping>
            </web-app>
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void deploysTheWarAsItsWebXmlDeclares(@TempDir Path dir) throws Exception {
        UndertowLauncher.Running running = UndertowLauncher.start(probeWar(dir), 0);
        try {
            HttpResponse<String> echo = get(running, "/echo/x");
            assertEquals(200, echo.statusCode());
            assertEquals("chain=1>2>3 greeting=hello listener=ran servletParam=v async=true loader=webapp"
                    + " harnessVisible=false classesResource=true", echo.body());

            HttpResponse<String> file = get(running, "/hello.txt");
            assertEquals(200, file.statusCode());
            assertEquals("static", file.body());
        } finally {
            running.stop();
        }
        assertFalse(Files.exists(running.root()), "the unpacked WAR is removed");
    }

    @Test
    void refusesEntriesThatPointOutsideTheDirectory(@TempDir Path dir) throws IOException {
        Path war = zip(dir.resolve("evil.war"), Map.of("../escaped.txt", "x".getBytes(StandardCharsets.UTF_8)));
        Path root = Files.createDirectory(dir.resolve("root"));

        IOException e = assertThrows(IOException.class, () -> UndertowLauncher.unpack(war, root));
        assertEquals(war + ": the entry ../escaped.txt points outside the directory", e.getMessage());
        assertFalse(Files.exists(dir.resolve("escaped.txt")));
    }

    private HttpResponse<String> get(UndertowLauncher.Running running, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + path))
                .timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** web.xml, the compiled {@link Probes} in a jar under WEB-INF/lib, a class-path resource and a static file. */
    private static Path probeWar(Path dir) throws Exception {
        Path classes = Path.of(Probes.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = dir.resolve("probes.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.list(classes.resolve(PACKAGE))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("Probes")).toList()) {
                out.putNextEntry(new JarEntry(PACKAGE + file.getFileName()));
                Files.copy(file, out);
            }
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("WEB-INF/web.xml", WEB_XML.getBytes(StandardCharsets.UTF_8));
        entries.put("WEB-INF/lib/probes.jar", Files.readAllBytes(jar));
        entries.put("WEB-INF/classes/probe.txt", new byte[0]);
        entries.put("hello.txt", "static".getBytes(StandardCharsets.UTF_8));
        return zip(dir.resolve("probe.war"), entries);
    }

    private static Path zip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
            }
        }
        return file;
    }
}
