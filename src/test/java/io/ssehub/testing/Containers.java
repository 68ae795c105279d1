package io.ssehub.testing;

import java.util.List;

/** The containers every scenario suite runs on, in the order it runs on them. */
public final class Containers {

    /**
     * Every container: a scenario suite runs once on each (see {@code io.ssehub.it.OnEveryContainer}),
     * so a container added here is added to every suite.
     */
    public static final List<TestServer.Factory> ALL =
            List.of(JettyServer.FACTORY, TomcatServer.FACTORY, UndertowServer.FACTORY);

    private Containers() {
    }
}
