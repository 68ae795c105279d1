package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.TomcatServer;

class TomcatHubIT extends HubScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
