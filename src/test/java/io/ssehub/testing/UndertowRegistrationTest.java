package io.ssehub.testing;

import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.FilterMappingInfo;
import io.undertow.servlet.api.ServletInfo;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Undertow gets this application registered by hand ({@link UndertowServer#deployment}); this
 * compares that registration with web.xml so the two cannot drift apart.
 */
class UndertowRegistrationTest {

    private final Document xml = WebApp.parse(WebApp.WEB_XML);
    private final DeploymentInfo info = deployment();

    private static DeploymentInfo deployment() {
        try {
            return UndertowServer.deployment(WebApp.WEB_XML);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Element> elements(String tag) {
        NodeList nodes = xml.getElementsByTagNameNS("*", tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static String child(Element element, String tag) {
        NodeList nodes = element.getElementsByTagNameNS("*", tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    @Test
    void sameListenerButLogbacks() {
        assertEquals(elements("listener-class").stream().map(e -> e.getTextContent().trim())
                        .filter(name -> !name.equals(WebApp.LOGBACK_LISTENER)).toList(),
                info.getListeners().stream().map(l -> l.getListenerClass().getName()).toList());
    }

    @Test
    void sameFiltersWithTheSameClassesAndAsyncSupport() {
        List<String> declared = elements("filter").stream()
                .map(f -> child(f, "filter-name") + "=" + child(f, "filter-class") + ",async=" + child(f, "async-supported"))
                .sorted().toList();
        List<String> registered = new ArrayList<>();
        for (FilterInfo filter : info.getFilters().values()) {
            registered.add(filter.getName() + "=" + filter.getFilterClass().getName() + ",async=" + filter.isAsyncSupported());
        }
        registered.sort(null); // declaration order means nothing; the mappings' order is checked below
        assertEquals(declared, registered);
    }

    @Test
    void sameFilterMappingsInTheSameOrder() {
        List<String> declared = elements("filter-mapping").stream()
                .map(m -> child(m, "filter-name") + " " + child(m, "url-pattern") + " "
                        + (child(m, "dispatcher") == null ? "REQUEST" : child(m, "dispatcher")))
                .toList();
        List<String> registered = new ArrayList<>();
        for (FilterMappingInfo mapping : info.getFilterMappings()) {
            assertEquals(FilterMappingInfo.MappingType.URL, mapping.getMappingType());
            registered.add(mapping.getFilterName() + " " + mapping.getMapping() + " " + mapping.getDispatcher());
        }
        assertEquals(declared, registered);
        assertEquals(DispatcherType.REQUEST, info.getFilterMappings().get(0).getDispatcher());
    }

    @Test
    void sameServletAndMapping() {
        List<String> declared = new ArrayList<>();
        for (Element servlet : elements("servlet")) {
            String name = child(servlet, "servlet-name");
            List<String> patterns = elements("servlet-mapping").stream()
                    .filter(m -> name.equals(child(m, "servlet-name"))).map(m -> child(m, "url-pattern")).toList();
            declared.add(name + "=" + child(servlet, "servlet-class") + ",async=" + child(servlet, "async-supported")
                    + ",loadOnStartup=" + child(servlet, "load-on-startup") + "," + patterns);
        }
        List<String> registered = new ArrayList<>();
        for (ServletInfo servlet : info.getServlets().values()) {
            registered.add(servlet.getName() + "=" + servlet.getServletClass().getName() + ",async="
                    + servlet.isAsyncSupported() + ",loadOnStartup=" + servlet.getLoadOnStartup() + ","
                    + servlet.getMappings());
        }
        assertEquals(declared, registered);
    }

    @Test
    void everyContextParamIsPassedOn() throws Exception {
        Map<String, String> declared = WebApp.contextParams(WebApp.WEB_XML);
        assertEquals(declared, info.getInitParameters());
        assertEquals(List.of("metadata-complete=true"),
                List.of("metadata-complete=" + xml.getDocumentElement().getAttribute("metadata-complete")),
                "annotations are not scanned, so a hand registration is the whole truth");
    }
}
