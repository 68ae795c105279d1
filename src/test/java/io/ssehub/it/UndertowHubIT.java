package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.UndertowServer;

class UndertowHubIT extends HubScenarios {
    @Override
    TestServer.Factory container() {
        return UndertowServer.FACTORY;
    }
}
