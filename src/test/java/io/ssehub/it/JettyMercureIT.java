package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyMercureIT extends MercureScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
