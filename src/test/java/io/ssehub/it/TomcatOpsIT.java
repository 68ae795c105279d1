package io.ssehub.it;

import io.ssehub.testing.TomcatServer;
import io.ssehub.testing.TestServer;

class TomcatOpsIT extends OpsScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
