package io.ssehub.app;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedInitializerTest {

    private static String prefix(String value) {
        return EmbeddedInitializer.prefix(new Config.Sources(Map.of("ssehub.embedded.prefix", value)::get,
                k -> null, k -> null));
    }

    @Test
    void acceptsPlainSegmentsAndDropsATrailingSlash() {
        assertEquals("/ssehub", prefix("/ssehub"));
        assertEquals("/live/hub", prefix("/live/hub/"));
    }

    @Test
    void refusesWhatCannotBeAPrefixMapping() {
        for (String bad : new String[]{"/", "ssehub", "/a/*", "/a b", "/a//b", "/%41"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> prefix(bad), bad);
            assertTrue(e.getMessage().contains("ssehub.embedded.prefix"), e.getMessage());
        }
    }
}
