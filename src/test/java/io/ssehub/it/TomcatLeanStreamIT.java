package io.ssehub.it;

import io.ssehub.testing.TomcatServer;
import io.ssehub.testing.TestServer;

class TomcatLeanStreamIT extends LeanStreamScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
