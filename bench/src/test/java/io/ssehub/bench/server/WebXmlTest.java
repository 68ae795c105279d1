package io.ssehub.bench.server;

import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link WebXml} on the product's own descriptor, and on descriptors it must refuse. */
class WebXmlTest {

    private static final Path PRODUCT_WEB_XML = Path.of("..", "src", "main", "webapp", "WEB-INF", "web.xml");

    @Test
    void readsTheProductsDescriptorCompletely() throws IOException {
        WebXml web = WebXml.parse(PRODUCT_WEB_XML);

        assertEquals("ssehub", web.displayName());
        assertEquals(List.of("ch.qos.logback.classic.servlet.LogbackServletContextListener", "io.ssehub.app.AppLifecycle"),
                web.listeners());
        assertEquals(List.of(
                        mapping("requestId"), mapping("accessLog"), mapping("recovery"), mapping("cors")),
                web.filterMappings(), "the filters run in the order of their mappings");
        assertEquals(List.of(
                        filter("requestId", "io.ssehub.http.filter.RequestIdFilter"),
                        filter("accessLog", "io.ssehub.http.filter.AccessLogFilter"),
                        filter("recovery", "io.ssehub.http.filter.RecoveryFilter"),
                        filter("cors", "io.ssehub.http.filter.CorsFilter")),
                web.filters());
        assertEquals(List.of(new WebXml.Servlet("ssehub", "io.ssehub.http.FrontController", 1, true, Map.of(),
                List.of("/*"))), web.servlets());
        assertEquals(List.of(), web.welcomeFiles());
    }

    @Test
    void passesOnEveryContextParamWithItsValue() throws IOException {
        String text = Files.readString(PRODUCT_WEB_XML);
        Matcher declared = Pattern.compile("<param-name>([^<]*)</param-name>\\s*<param-value>([^<]*)</param-value>")
                .matcher(text);
        Map<String, String> params = WebXml.parse(PRODUCT_WEB_XML).contextParams();
        int count = 0;
        while (declared.find()) {
            assertEquals(declared.group(2).trim(), params.get(declared.group(1).trim()), declared.group(1));
            count++;
        }
        assertEquals(count, params.size());
        assertTrue(count > 40, "the product declares every setting: " + count);
        assertEquals("5s", params.get("ssehub.tick.interval"));
        assertEquals("", params.get("ssehub.jwt.secret"), "an empty value stays empty");
    }

    @Test
    void readsDispatchersServletNameMappingsInitParamsAndWelcomeFiles(@TempDir Path dir) throws IOException {
        WebXml web = WebXml.parse(write(dir, "true", """
                <filter><filter-name>f</filter-name><filter-class>F</filter-class>
                  <init-param><param-name>k</param-name><param-value> v </param-value></init-param></filter>
                <filter-mapping><filter-name>f</filter-name><servlet-name>s</servlet-name>
                  <dispatcher>FORWARD</dispatcher><dispatcher>ERROR</dispatcher></filter-mapping>
                <servlet><servlet-name>s</servlet-name><servlet-class>S</servlet-class></servlet>
                <servlet-mapping><servlet-name>s</servlet-name><url-pattern>/a</url-pattern></servlet-mapping>
                <servlet-mapping><servlet-name>s</servlet-name><url-pattern>*.b</url-pattern></servlet-mapping>
                <welcome-file-list><welcome-file>index.html</welcome-file></welcome-file-list>
                """));

        assertEquals(List.of(new WebXml.Filter("f", "F", false, Map.of("k", "v"))), web.filters());
        assertEquals(List.of(new WebXml.FilterMapping("f", List.of(), List.of("s"),
                List.of(DispatcherType.FORWARD, DispatcherType.ERROR))), web.filterMappings());
        assertEquals(List.of(new WebXml.Servlet("s", "S", null, false, Map.of(), List.of("/a", "*.b"))),
                web.servlets());
        assertEquals(List.of("index.html"), web.welcomeFiles());
    }

    @Test
    void refusesWhatItWouldOtherwiseSkip(@TempDir Path dir) throws IOException {
        assertRefused(write(dir, "true", "<security-constraint/>"), "<security-constraint>");
        assertRefused(write(dir, "true", """
                <servlet><servlet-name>s</servlet-name><servlet-class>S</servlet-class>
                  <multipart-config/></servlet>
                """), "<multipart-config> in <servlet>");
        assertRefused(write(dir, "false", ""), "metadata-complete");
        assertRefused(write(dir, "true", """
                <filter-mapping><filter-name>nobody</filter-name><url-pattern>/*</url-pattern></filter-mapping>
                """), "undeclared filter nobody");
    }

    private static void assertRefused(Path file, String reason) {
        IOException e = assertThrows(IOException.class, () -> WebXml.parse(file));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static Path write(Path dir, String metadataComplete, String body) throws IOException {
        return Files.writeString(dir.resolve("web.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="%s">
                %s</web-app>
                """.formatted(metadataComplete, body));
    }

    private static WebXml.Filter filter(String name, String className) {
        return new WebXml.Filter(name, className, true, Map.of());
    }

    private static WebXml.FilterMapping mapping(String name) {
        return new WebXml.FilterMapping(name, List.of("/*"), List.of(), List.of(DispatcherType.REQUEST));
    }
}
