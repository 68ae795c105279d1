package io.ssehub.it;

import io.ssehub.testing.UndertowServer;
import io.ssehub.testing.TestServer;

class UndertowStreamBufferIT extends StreamBufferScenarios {
    @Override
    TestServer.Factory container() {
        return UndertowServer.FACTORY;
    }
}
