package io.ssehub.it;

import io.ssehub.testing.JettyServer;
import io.ssehub.testing.TestServer;

class JettyStreamBufferIT extends StreamBufferScenarios {
    @Override
    TestServer.Factory container() {
        return JettyServer.FACTORY;
    }
}
