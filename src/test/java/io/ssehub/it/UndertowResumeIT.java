package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.UndertowServer;

class UndertowResumeIT extends ResumeScenarios {
    @Override
    TestServer.Factory container() {
        return UndertowServer.FACTORY;
    }
}
