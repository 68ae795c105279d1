package io.ssehub.app;

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

/** web.xml is the deployment's contract: it must agree with the code. */
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
        for (Setting setting : Setting.values()) {
            expected.put(setting.key(), setting.defaultValue());
        }
        assertEquals(expected, params);
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
