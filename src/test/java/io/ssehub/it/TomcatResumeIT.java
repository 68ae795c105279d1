package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.TomcatServer;

class TomcatResumeIT extends ResumeScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
