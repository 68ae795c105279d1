package io.ssehub.testing;

import jakarta.servlet.Servlet;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where this web application's parts are, and its web.xml with test overrides applied. */
public final class WebApp {

    public static final Path ROOT = Path.of("src/main/webapp").toAbsolutePath();
    public static final Path CLASSES = Path.of("target/classes").toAbsolutePath();
    public static final Path WEB_XML = ROOT.resolve("WEB-INF/web.xml");
    /**
     * web.xml's first listener, which test deployments leave out: the tests and the application
     * under test share one logback, which it would stop at the first undeploy.
     */
    public static final String LOGBACK_LISTENER = "ch.qos.logback.classic.servlet.LogbackServletContextListener";

    private WebApp() {
    }

    /** Parses a deployment descriptor, namespace-aware. */
    public static Document parse(Path webXml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(webXml.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot parse " + webXml, e);
        }
    }

    /** A deployment descriptor's context-params, name to value, in document order. */
    public static Map<String, String> contextParams(Path webXml) {
        NodeList nodes = parse(webXml).getElementsByTagNameNS("*", "context-param");
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element param = (Element) nodes.item(i);
            params.put(param.getElementsByTagNameNS("*", "param-name").item(0).getTextContent().trim(),
                    param.getElementsByTagNameNS("*", "param-value").item(0).getTextContent().trim());
        }
        return params;
    }

    /**
     * A copy of web.xml with the given context-param values replaced (each must exist), and without
     * {@link #LOGBACK_LISTENER}. {@code TomcatWarIT} deploys the WAR as it is.
     */
    public static Path webXmlWith(Map<String, String> params) throws IOException {
        return webXmlWith(params, Map.of());
    }

    /** {@link #webXmlWith(Map)}, declaring also {@code servlets} (URL pattern to class), tests' own. */
    public static Path webXmlWith(Map<String, String> params, Map<String, Class<? extends Servlet>> servlets)
            throws IOException {
        String xml = Files.readString(WEB_XML, StandardCharsets.UTF_8);
        String logback = "<listener>\\s*<listener-class>" + Pattern.quote(LOGBACK_LISTENER) + "</listener-class>\\s*</listener>";
        Matcher listener = Pattern.compile(logback).matcher(xml);
        if (!listener.find()) {
            throw new IllegalStateException("web.xml no longer declares logback's listener; update " + WebApp.class);
        }
        xml = listener.replaceFirst("");
        for (Map.Entry<String, String> param : params.entrySet()) {
            Pattern p = Pattern.compile("(<param-name>" + Pattern.quote(param.getKey())
                    + "</param-name>\\s*<param-value>)[^<]*(</param-value>)");
            Matcher m = p.matcher(xml);
            if (!m.find()) {
                throw new IllegalArgumentException("web.xml has no context-param " + param.getKey());
            }
            xml = m.replaceFirst("$1" + Matcher.quoteReplacement(param.getValue()) + "$2");
        }
        StringBuilder declared = new StringBuilder();
        servlets.forEach((pattern, type) -> declared.append("""
                  <servlet>
                    <servlet-name>%1$s</servlet-name>
                    <servlet-class>%1$s</servlet-class>
                    <async-supported>true</async-supported>
                  </servlet>
                  <servlet-mapping>
                    <servlet-name>%1$s</servlet-name>
                    <url-pattern>%2$s</url-pattern>
                  </servlet-mapping>
                """.formatted(type.getName(), pattern)));
        int end = xml.lastIndexOf("</web-app>");
        xml = xml.substring(0, end) + declared + xml.substring(end);
        Path file = Files.createTempFile("ssehub-web", ".xml");
        file.toFile().deleteOnExit();
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        return file;
    }
}
