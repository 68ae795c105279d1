package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyResumeIT extends ResumeScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
