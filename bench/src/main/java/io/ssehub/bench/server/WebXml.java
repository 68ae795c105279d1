package io.ssehub.bench.server;

import jakarta.servlet.DispatcherType;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a {@code WEB-INF/web.xml} declares, read with the JDK's DOM parser, for a container that
 * has no parser of its own ({@link UndertowLauncher}).
 *
 * <p>It understands context parameters, listeners, filters, filter mappings (kept in document
 * order, which is the order the filters run in), servlets with their mappings and the welcome
 * file list. Anything else is refused rather than skipped, as is a descriptor that is not
 * {@code metadata-complete} (annotations are not scanned), so a deployment built from this never
 * quietly differs from what Jetty or Tomcat would deploy from the same WAR.
 *
 * @param displayName    {@code <display-name>}, or null
 * @param contextParams  every {@code <context-param>}, in document order
 * @param listeners      listener class names, in document order
 * @param filters        every {@code <filter>}, in document order
 * @param filterMappings every {@code <filter-mapping>}, in document order
 * @param servlets       every {@code <servlet>}, in document order, each with its url-patterns
 * @param welcomeFiles   {@code <welcome-file>}s, in document order
 */
record WebXml(String displayName, Map<String, String> contextParams, List<String> listeners, List<Filter> filters,
              List<FilterMapping> filterMappings, List<Servlet> servlets, List<String> welcomeFiles) {

    /** A {@code <filter>}. */
    record Filter(String name, String className, boolean asyncSupported, Map<String, String> initParams) {
    }

    /** A {@code <filter-mapping>}; without {@code <dispatcher>} it applies to REQUEST only. */
    record FilterMapping(String filterName, List<String> urlPatterns, List<String> servletNames,
                         List<DispatcherType> dispatchers) {
    }

    /**
     * A {@code <servlet>} with the url-patterns of all its {@code <servlet-mapping>}s.
     *
     * @param loadOnStartup null when absent (loaded on first use); an empty element counts as 0
     */
    record Servlet(String name, String className, Integer loadOnStartup, boolean asyncSupported,
                   Map<String, String> initParams, List<String> urlPatterns) {
    }

    private static final Set<String> DESCRIPTIVE = Set.of("description", "display-name", "icon");

    /** The elements understood, each with the children it may have (besides descriptive ones). */
    private static final Map<String, Set<String>> UNDERSTOOD = Map.of(
            "context-param", Set.of("param-name", "param-value"),
            "listener", Set.of("listener-class"),
            "filter", Set.of("filter-name", "filter-class", "async-supported", "init-param"),
            "filter-mapping", Set.of("filter-name", "url-pattern", "servlet-name", "dispatcher"),
            "servlet", Set.of("servlet-name", "servlet-class", "load-on-startup", "async-supported", "init-param"),
            "servlet-mapping", Set.of("servlet-name", "url-pattern"),
            "welcome-file-list", Set.of("welcome-file"));

    static WebXml parse(Path file) throws IOException {
        Element root;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            root = factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!"web-app".equals(root.getLocalName())) {
            throw new IOException(file + ": the root element is <" + root.getLocalName() + ">, not <web-app>");
        }
        if (!"true".equals(root.getAttribute("metadata-complete"))) {
            throw new IOException(file + " is not metadata-complete=\"true\": its annotations would have to be"
                    + " scanned, which this reader does not do");
        }
        String displayName = null;
        Map<String, String> contextParams = new LinkedHashMap<>();
        List<String> listeners = new ArrayList<>();
        List<Filter> filters = new ArrayList<>();
        List<FilterMapping> filterMappings = new ArrayList<>();
        List<Element> servletElements = new ArrayList<>();
        Map<String, List<String>> servletPatterns = new LinkedHashMap<>();
        List<String> welcomeFiles = new ArrayList<>();
        for (Element element : children(root)) {
            String tag = element.getLocalName();
            if (DESCRIPTIVE.contains(tag)) {
                displayName = tag.equals("display-name") ? text(element) : displayName;
                continue;
            }
            Set<String> allowed = UNDERSTOOD.get(tag);
            if (allowed == null) {
                throw new IOException(file + ": <" + tag + "> is not supported");
            }
            for (Element child : children(element)) {
                if (!allowed.contains(child.getLocalName()) && !DESCRIPTIVE.contains(child.getLocalName())) {
                    throw new IOException(file + ": <" + child.getLocalName() + "> in <" + tag + "> is not supported");
                }
            }
            switch (tag) {
                case "context-param" ->
                        contextParams.put(one(element, "param-name"), optional(element, "param-value", ""));
                case "listener" -> listeners.add(one(element, "listener-class"));
                case "filter" -> filters.add(new Filter(one(element, "filter-name"), one(element, "filter-class"),
                        Boolean.parseBoolean(optional(element, "async-supported", "false")), initParams(element)));
                case "filter-mapping" -> {
                    List<DispatcherType> dispatchers = all(element, "dispatcher").stream()
                            .map(DispatcherType::valueOf).toList();
                    filterMappings.add(new FilterMapping(one(element, "filter-name"), all(element, "url-pattern"),
                            all(element, "servlet-name"),
                            dispatchers.isEmpty() ? List.of(DispatcherType.REQUEST) : dispatchers));
                }
                case "servlet" -> servletElements.add(element);
                case "servlet-mapping" -> servletPatterns
                        .computeIfAbsent(one(element, "servlet-name"), n -> new ArrayList<>())
                        .addAll(all(element, "url-pattern"));
                case "welcome-file-list" -> welcomeFiles.addAll(all(element, "welcome-file"));
            }
        }

        List<Servlet> servlets = new ArrayList<>();
        for (Element element : servletElements) {
            String name = one(element, "servlet-name");
            String loadOnStartup = optional(element, "load-on-startup", null);
            servlets.add(new Servlet(name, one(element, "servlet-class"),
                    loadOnStartup == null ? null : loadOnStartup.isEmpty() ? 0 : Integer.valueOf(loadOnStartup),
                    Boolean.parseBoolean(optional(element, "async-supported", "false")), initParams(element),
                    List.copyOf(servletPatterns.getOrDefault(name, List.of()))));
        }
        Set<String> filterNames = filters.stream().map(Filter::name).collect(Collectors.toSet());
        Set<String> servletNames = servlets.stream().map(Servlet::name).collect(Collectors.toSet());
        for (FilterMapping mapping : filterMappings) {
            if (!filterNames.contains(mapping.filterName())) {
                throw new IOException(file + ": <filter-mapping> of the undeclared filter " + mapping.filterName());
            }
        }
        for (String name : servletPatterns.keySet()) {
            if (!servletNames.contains(name)) {
                throw new IOException(file + ": <servlet-mapping> of the undeclared servlet " + name);
            }
        }
        return new WebXml(displayName, contextParams, listeners, filters, filterMappings, servlets, welcomeFiles);
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    private static String text(Element element) {
        return element.getTextContent().trim();
    }

    /** The trimmed texts of the direct children with this name, in document order. */
    private static List<String> all(Element parent, String tag) {
        return children(parent).stream().filter(e -> tag.equals(e.getLocalName())).map(WebXml::text).toList();
    }

    private static String optional(Element parent, String tag, String absent) throws IOException {
        List<String> values = all(parent, tag);
        if (values.size() > 1) {
            throw new IOException("<" + parent.getLocalName() + "> has " + values.size() + " <" + tag + ">");
        }
        return values.isEmpty() ? absent : values.get(0);
    }

    private static String one(Element parent, String tag) throws IOException {
        String value = optional(parent, tag, null);
        if (value == null || value.isEmpty()) {
            throw new IOException("<" + parent.getLocalName() + "> lacks <" + tag + ">");
        }
        return value;
    }

    private static Map<String, String> initParams(Element parent) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        for (Element param : children(parent)) {
            if ("init-param".equals(param.getLocalName())) {
                params.put(one(param, "param-name"), optional(param, "param-value", ""));
            }
        }
        return params;
    }
}
