package io.ssehub.it;

import io.ssehub.testing.Containers;
import io.ssehub.testing.TestServer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A scenario suite that runs on every container of {@link Containers#ALL}. JUnit runs a subclass
 * once per container, as a parameterized class whose invocations are named after the container
 * ({@code [jetty]}, {@code [tomcat]}, ...), and injects that container into {@link #container}.
 * These annotations are inherited, so a suite that extends this class (most do through
 * {@link ItSupport}) cannot leave a container out.
 *
 * <p>JUnit keeps one instance of a suite for all its containers ({@code PER_CLASS}): what a field
 * holds from construction is shared by them, and what must be fresh for each container is set up
 * again before each invocation (see {@link ItSupport#beforeServerStarts()}).
 */
@ParameterizedClass(name = "[{0}]")
@FieldSource("io.ssehub.testing.Containers#ALL")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnEveryContainer {

    /** The container of this invocation; a scenario starts a server of its own with {@code container.start}. */
    @Parameter
    TestServer.Factory container;
}
