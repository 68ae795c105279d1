package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyHubIT extends HubScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
