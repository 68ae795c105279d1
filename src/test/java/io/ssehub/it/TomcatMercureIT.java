package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.TomcatServer;

class TomcatMercureIT extends MercureScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
