package io.ssehub.sse;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.catalina.connector.RequestFacade;
import org.apache.catalina.connector.ResponseFacade;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.Mockito.mock;

/** Which container an object belongs to, judged on the real classes from the test classpath. */
class ContainerTest {

    @Test
    void eachContainersClassesAreKnownByTheirPackage() throws Exception {
        assertEquals(Container.JETTY, of("org.eclipse.jetty.ee10.servlet.HttpOutput"));
        assertEquals(Container.JETTY, of("org.eclipse.jetty.ee10.servlet.ServletApiRequest"));
        assertEquals(Container.TOMCAT, of("org.apache.catalina.connector.CoyoteOutputStream"));
        assertEquals(Container.TOMCAT, of("org.apache.catalina.connector.RequestFacade"));
        assertEquals(Container.UNDERTOW, of("io.undertow.servlet.spec.ServletOutputStreamImpl"));
        assertEquals(Container.UNDERTOW, of("io.undertow.servlet.spec.HttpServletRequestImpl"));
    }

    @Test
    void theServletApisOwnClassesAndOursAreNobodysContainer() {
        assertEquals(Container.OTHER, Container.of(HttpServletRequestWrapper.class));
        assertEquals(Container.OTHER, Container.of(ContainerTest.class));
    }

    @Test
    void aRequestIsJudgedByWhatItsFiltersWrappersWrap() {
        RequestFacade tomcats = mock(RequestFacade.class);
        ServletRequest wrapped = new HttpServletRequestWrapper(new HttpServletRequestWrapper(tomcats));

        assertSame(tomcats, Container.unwrapped(wrapped));
        assertEquals(Container.TOMCAT, Container.of(wrapped));
    }

    @Test
    void aResponseIsUnwrappedToTheContainersOwn() {
        ResponseFacade tomcats = mock(ResponseFacade.class);
        ServletResponse wrapped = new HttpServletResponseWrapper(new HttpServletResponseWrapper(tomcats));

        assertSame(tomcats, Container.unwrapped(wrapped));
    }

    private static Container of(String className) throws ClassNotFoundException {
        return Container.of(Class.forName(className, false, ContainerTest.class.getClassLoader()));
    }
}
