package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyLimitIT extends LimitScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
