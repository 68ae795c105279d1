package io.ssehub.it;

import io.ssehub.testing.TomcatServer;
import io.ssehub.testing.TestServer;

class TomcatAuthIT extends AuthScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
