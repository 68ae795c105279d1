package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyAuthIT extends AuthScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
