package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyLeanStreamIT extends LeanStreamScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
