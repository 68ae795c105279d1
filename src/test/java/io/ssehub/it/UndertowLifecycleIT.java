package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.UndertowServer;

class UndertowLifecycleIT extends LifecycleScenarios {
    @Override
    TestServer.Factory container() {
        return UndertowServer.FACTORY;
    }
}
