package io.ssehub.it;

import io.ssehub.testing.UndertowServer;
import io.ssehub.testing.TestServer;

class UndertowMercureIT extends MercureScenarios {
    @Override
    TestServer.Factory container() {
        return UndertowServer.FACTORY;
    }
}
