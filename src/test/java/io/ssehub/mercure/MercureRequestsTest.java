package io.ssehub.mercure;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MercureRequestsTest {

    @Test
    void reservedNamespaceIsFoundWhateverTheSpelling() {
        assertTrue(MercureRequests.reserved("/.well-known/mercure/subscriptions/a/b"));
        assertTrue(MercureRequests.reserved("https://other.example/.well-known/mercure"));
        assertTrue(MercureRequests.reserved("https://x/%2Ewell-known/mercure/subscriptions"));
        assertTrue(MercureRequests.reserved("https://x/a/../.well-known/mercure/x"));
        assertFalse(MercureRequests.reserved("https://x/books/1"));
        assertFalse(MercureRequests.reserved("/.well-known/mercurial"));
    }
}
