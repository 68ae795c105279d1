package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.UndertowServer;

class UndertowOpsIT extends OpsScenarios {
    @Override
    TestServer.Factory container() {
        return UndertowServer.FACTORY;
    }
}
