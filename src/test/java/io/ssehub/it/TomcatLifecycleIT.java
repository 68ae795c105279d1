package io.ssehub.it;

import io.ssehub.testing.TestServer;
import io.ssehub.testing.TomcatServer;

class TomcatLifecycleIT extends LifecycleScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
