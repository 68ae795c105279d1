package io.ssehub.it;

import io.ssehub.testing.UndertowServer;
import io.ssehub.testing.TestServer;

class UndertowLeanStreamIT extends LeanStreamScenarios {
    @Override
    TestServer.Factory container() {
        return UndertowServer.FACTORY;
    }
}
