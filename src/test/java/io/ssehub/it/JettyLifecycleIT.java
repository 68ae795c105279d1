package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyLifecycleIT extends LifecycleScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
