package io.ssehub.launcher;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressTest {

    private static Address of(Map<String, String> environment, Map<String, String> properties) {
        return Address.from(environment::get, properties::get);
    }

    @Test
    void listensOnEveryInterfaceAt8080WhenNothingIsSet() {
        assertEquals(new Address("0.0.0.0", 8080), of(Map.of(), Map.of()));
    }

    @Test
    void ssehubPortBeatsTheSystemPropertyWhichBeatsThePlatformsPort() {
        assertEquals(7000, of(Map.of("PORT", "7000"), Map.of()).port());
        assertEquals(8000, of(Map.of("PORT", "7000"), Map.of("ssehub.port", "8000")).port());
        assertEquals(9000, of(Map.of("PORT", "7000", "SSEHUB_PORT", "9000"), Map.of("ssehub.port", "8000")).port());
    }

    @Test
    void bindsWhereTheEnvironmentOrAPropertySays() {
        assertEquals("127.0.0.1", of(Map.of(), Map.of("ssehub.bind", "127.0.0.1")).host());
        assertEquals("::1", of(Map.of("SSEHUB_BIND", " ::1 "), Map.of("ssehub.bind", "127.0.0.1")).host());
    }

    @Test
    void aBlankValueCountsAsUnset() {
        assertEquals(7000, of(Map.of("SSEHUB_PORT", " ", "PORT", "7000"), Map.of()).port());
    }

    @Test
    void aPortThatIsNoPortIsRefusedWithItsValue() {
        for (String bad : new String[] {"http", "-1", "65536"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> of(Map.of("PORT", bad), Map.of()));
            assertTrue(e.getMessage().contains("\"" + bad + "\"") && e.getMessage().contains("ssehub.port"),
                    e.getMessage());
        }
    }
}
