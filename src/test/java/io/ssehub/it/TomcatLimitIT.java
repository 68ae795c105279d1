package io.ssehub.it;

import io.ssehub.testing.TomcatServer;
import io.ssehub.testing.TestServer;

class TomcatLimitIT extends LimitScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
