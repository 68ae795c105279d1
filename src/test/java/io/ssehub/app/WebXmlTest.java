package io.ssehub.app;

import io.ssehub.http.filter.FilterOrder;
import io.ssehub.testing.WebApp;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * web.xml is the deployment's contract: it must agree with the code. Its context-params are
 * {@link Setting} written out; when they drift, the failure prints the block to paste.
 */
class WebXmlTest {

    private final Document xml = WebApp.parse(WebApp.WEB_XML);

    private List<String> texts(String tag) {
        NodeList nodes = xml.getElementsByTagNameNS("*", tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().trim());
        }
        return out;
    }

    @Test
    void declaresEveryConfigKeyWithItsDefault() {
        Map<String, String> params = WebApp.contextParams(WebApp.WEB_XML);
        params.keySet().removeIf(name -> !name.startsWith("ssehub."));
        Map<String, String> expected = new LinkedHashMap<>();
        StringBuilder declarations = new StringBuilder();
        for (Setting setting : Setting.values()) {
            expected.put(setting.key(), setting.defaultValue());
            declarations.append("  <context-param>\n    <param-name>").append(setting.key())
                    .append("</param-name>\n    <param-value>").append(escapeXml(setting.defaultValue()))
                    .append("</param-value>\n  </context-param>\n");
        }
        assertEquals(expected, params, "web.xml must declare every key of Setting, in its order, with its default;"
                + " replace its ssehub.* context-params with:\n\n" + declarations);
    }

    private static String escapeXml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Test
    void filtersRunRequestIdThenAccessLogThenRecoveryThenCors() {
        NodeList mappings = xml.getElementsByTagNameNS("*", "filter-mapping");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < mappings.getLength(); i++) {
            order.add(((Element) mappings.item(i)).getElementsByTagNameNS("*", "filter-name").item(0).getTextContent().trim());
        }
        assertEquals(List.of("requestId", "accessLog", "recovery", "cors"), order);
    }

    @Test
    void declaresExactlyTheFilterOrderInItsOrder() {
        // The embedding initializer and the Undertow harness register FilterOrder; a filter that
        // web.xml has and FilterOrder lacks (as CORS once was) would be missing there.
        List<String> expected = new ArrayList<>();
        for (FilterOrder filter : FilterOrder.values()) {
            expected.add(filter.filterName() + "=" + filter.type().getName() + ",async=true /* REQUEST");
        }
        List<String> declared = new ArrayList<>();
        NodeList filters = xml.getElementsByTagNameNS("*", "filter");
        for (int i = 0; i < filters.getLength(); i++) {
            Element filter = (Element) filters.item(i);
            declared.add(child(filter, "filter-name") + "=" + child(filter, "filter-class")
                    + ",async=" + child(filter, "async-supported") + " " + mapping(child(filter, "filter-name")));
        }
        assertEquals(expected, declared, "the <filter> declarations, each with its mapping");

        List<String> mapped = new ArrayList<>();
        NodeList mappings = xml.getElementsByTagNameNS("*", "filter-mapping");
        for (int i = 0; i < mappings.getLength(); i++) {
            mapped.add(child((Element) mappings.item(i), "filter-name"));
        }
        assertEquals(List.of(FilterOrder.values()).stream().map(FilterOrder::filterName).toList(), mapped,
                "the <filter-mapping> order, which is the order the filters run in");
    }

    private static String child(Element element, String tag) {
        NodeList nodes = element.getElementsByTagNameNS("*", tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    /** A filter's one mapping as "url-pattern DISPATCHER" (REQUEST when none is named). */
    private String mapping(String filterName) {
        List<String> found = new ArrayList<>();
        NodeList mappings = xml.getElementsByTagNameNS("*", "filter-mapping");
        for (int i = 0; i < mappings.getLength(); i++) {
            Element mapping = (Element) mappings.item(i);
            if (filterName.equals(child(mapping, "filter-name"))) {
                String dispatcher = child(mapping, "dispatcher");
                found.add(child(mapping, "url-pattern") + " " + (dispatcher == null ? "REQUEST" : dispatcher));
            }
        }
        return String.join(" + ", found);
    }

    @Test
    void everyFilterAndTheServletSupportAsync() {
        int filtersAndServlets = xml.getElementsByTagNameNS("*", "filter").getLength()
                + xml.getElementsByTagNameNS("*", "servlet").getLength();
        assertEquals(filtersAndServlets, texts("async-supported").stream().filter("true"::equals).count());
    }

    @Test
    void loggingStartsBeforeTheLifecycleAndStopsAfterIt() {
        // Listeners stop in the reverse order of their declaration. Left to logback's initializer,
        // its listener is added after the declared ones, so it stopped logging before the hub had
        // logged its shutdown (seen on Undertow).
        assertEquals("true", WebApp.contextParams(WebApp.WEB_XML).get("logbackDisableServletContainerInitializer"));
        assertEquals(List.of(WebApp.LOGBACK_LISTENER, AppLifecycle.class.getName()), texts("listener-class"));
        assertEquals(List.of("logbackDisableServletContainerInitializer"),
                WebApp.contextParams(WebApp.WEB_XML).keySet().stream().filter(name -> !name.startsWith("ssehub.")).toList());
    }
}
