package io.ssehub.sse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is known of each container's output stream, checked on the real classes from the test classpath. */
class ContainerOutputTest {

    @Test
    void jettyIsWrittenThroughItsByteBufferWrite() throws Exception {
        assertTrue(writesBuffers("org.eclipse.jetty.ee10.servlet.HttpOutput"));
    }

    @Test
    void undertowAndTomcatAreWrittenArrays() throws Exception {
        assertFalse(writesBuffers("io.undertow.servlet.spec.ServletOutputStreamImpl"));
        assertFalse(writesBuffers("org.apache.catalina.connector.CoyoteOutputStream"));
    }

    @Test
    void onlyJettyIsNotFlushedSinceItsWriteSendsAtOnce() throws Exception {
        assertFalse(of("org.eclipse.jetty.ee10.servlet.HttpOutput").waitsForFlush());
        assertTrue(of("io.undertow.servlet.spec.ServletOutputStreamImpl").waitsForFlush());
        assertTrue(of("org.apache.catalina.connector.CoyoteOutputStream").waitsForFlush());
    }

    @Test
    void autoAsksJettyFor32KiBUndertowForNoneAndLeavesTomcatsOwn() throws Exception {
        assertEquals(32 * 1024, autoBufferBytes("org.eclipse.jetty.ee10.servlet.HttpOutput"));
        assertEquals(0, autoBufferBytes("io.undertow.servlet.spec.ServletOutputStreamImpl"));
        assertEquals(ContainerOutput.CONTAINER_DEFAULT, autoBufferBytes("org.apache.catalina.connector.CoyoteOutputStream"));
    }

    @Test
    void onlyJettyHoldsAChunksEndUntilTheNextSoStreamsEndTheirChunks() throws Exception {
        assertTrue(of("org.eclipse.jetty.ee10.servlet.HttpOutput").holdsChunkEnds());
        assertFalse(of("io.undertow.servlet.spec.ServletOutputStreamImpl").holdsChunkEnds());
        assertFalse(of("org.apache.catalina.connector.CoyoteOutputStream").holdsChunkEnds());
    }

    @Test
    void aClassWithoutAPublicByteBufferWriteIsWrittenArrays() {
        assertFalse(ContainerOutput.byteBuffers(jakarta.servlet.ServletOutputStream.class).writesBuffers());
    }

    private static boolean writesBuffers(String className) throws ClassNotFoundException {
        return of(className).writesBuffers();
    }

    private static int autoBufferBytes(String className) throws ClassNotFoundException {
        return of(className).autoBufferBytes();
    }

    private static ContainerOutput of(String className) throws ClassNotFoundException {
        return ContainerOutput.of(Class.forName(className, false, ContainerOutputTest.class.getClassLoader()));
    }
}
