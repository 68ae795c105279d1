package io.ssehub.it;

import io.ssehub.testing.TomcatServer;
import io.ssehub.testing.TestServer;

class TomcatStreamBufferIT extends StreamBufferScenarios {
    @Override
    TestServer.Factory container() {
        return TomcatServer.FACTORY;
    }
}
