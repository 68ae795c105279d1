package io.ssehub.http;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class ClientAddressTest {

    private static HttpServletRequest from(String peer, Map<String, List<String>> headers) {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getRemoteAddr()).thenReturn(peer);
        when(request.getHeaders(anyString())).thenAnswer(call ->
                Collections.enumeration(headers.getOrDefault(call.<String>getArgument(0), List.of())));
        Map<String, Object> attributes = new HashMap<>();
        when(request.getAttribute(anyString())).thenAnswer(call -> attributes.get(call.<String>getArgument(0)));
        org.mockito.Mockito.doAnswer(call -> attributes.put(call.getArgument(0), call.getArgument(1)))
                .when(request).setAttribute(anyString(), org.mockito.ArgumentMatchers.any());
        return request;
    }

    @Test
    void aClientThatIsNoProxyCannotNameItselfInForwardedHeaders() {
        ClientAddress clients = ClientAddress.trusting("10.0.0.0/8");
        assertEquals("203.0.113.9", clients.of(from("203.0.113.9", Map.of(
                "X-Forwarded-For", List.of("198.51.100.1"), "Forwarded", List.of("for=198.51.100.2")))));
        assertEquals("203.0.113.9", ClientAddress.DIRECT.of(from("203.0.113.9",
                Map.of("X-Forwarded-For", List.of("198.51.100.1")))));
    }

    @Test
    void aTrustedProxyNamesTheClientAndEntriesForgedBeforeItAreIgnored() {
        ClientAddress clients = ClientAddress.trusting("10.0.0.0/8, 192.168.1.1");
        // The client wrote "1.2.3.4" itself; the proxies appended what they saw, right to left.
        assertEquals("198.51.100.7", clients.of(from("10.1.2.3", Map.of(
                "X-Forwarded-For", List.of("1.2.3.4, 198.51.100.7", "192.168.1.1")))));
    }

    @Test
    void forwardedWinsOverXForwardedForAndItsNodesLoseQuotesBracketsAndPorts() {
        ClientAddress clients = ClientAddress.trusting("::1");
        assertEquals("2001:db8:0:0:0:0:0:1", clients.of(from("0:0:0:0:0:0:0:1", Map.of(
                "Forwarded", List.of("for=\"[2001:db8::1]:4711\";proto=https"),
                "X-Forwarded-For", List.of("198.51.100.1")))));
        assertEquals("192.0.2.43", clients.of(from("[::1]", Map.of("Forwarded", List.of("for=\"192.0.2.43:47011\"")))));
    }

    @Test
    void anEntryThatIsNoAddressStopsAtTheProxyThatWroteIt() {
        ClientAddress clients = ClientAddress.trusting("10.0.0.1");
        assertEquals("10.0.0.1", clients.of(from("10.0.0.1", Map.of("X-Forwarded-For", List.of("evil.example.com")))));
        assertEquals("10.0.0.1", clients.of(from("10.0.0.1", Map.of("Forwarded", List.of("for=unknown")))));
    }

    @Test
    void aForwardedEntryOfDigitsThatIsNoAddressStopsAtTheProxy() {
        ClientAddress clients = ClientAddress.trusting("10.0.0.1");
        for (String forged : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.1000", "")) {
            assertEquals("10.0.0.1", clients.of(from("10.0.0.1", Map.of("X-Forwarded-For", List.of(forged)))), forged);
        }
    }

    @Test
    void dottedQuadsAreReadAsDecimalAndWrittenInOneForm() {
        ClientAddress clients = ClientAddress.trusting("10.0.0.1");
        assertEquals("10.1.0.9", clients.of(from("10.0.0.1", Map.of("X-Forwarded-For", List.of("010.001.000.009")))));
        assertEquals("192.0.2.1", clients.of(from("10.0.0.1", Map.of("Forwarded", List.of("for=\"[192.0.2.1]\"")))));
        assertEquals("255.255.255.255", ClientAddress.DIRECT.of(from("255.255.255.255", Map.of())));
        assertEquals("0.0.0.0", ClientAddress.DIRECT.of(from("0.0.0.0", Map.of())));
    }

    @Test
    void everyProxyTrustedLeavesTheLeftmostAddress() {
        ClientAddress clients = ClientAddress.trusting("10.0.0.0/8");
        assertEquals("10.9.9.9", clients.of(from("10.0.0.1", Map.of("X-Forwarded-For", List.of("10.9.9.9")))));
    }

    @Test
    void blocksAreMatchedBitByBit() {
        ClientAddress clients = ClientAddress.trusting("192.168.0.0/23");
        Map<String, List<String>> forwarded = Map.of("X-Forwarded-For", List.of("198.51.100.1"));
        assertEquals("198.51.100.1", clients.of(from("192.168.1.255", forwarded)));
        assertEquals("192.168.2.0", clients.of(from("192.168.2.0", forwarded)));
        assertEquals("10.0.0.0/8,0:0:0:0:0:0:0:1/128", ClientAddress.trusting("10.0.0.0/8,::1").toString());
    }

    @Test
    void aTrustedProxyListThatIsNotAddressesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting("proxy.example.com"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ClientAddress.trusting("10.0.0.0/x"));
    }
}
