package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyOpsIT extends OpsScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
