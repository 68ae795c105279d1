package io.ssehub.sse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which containers' output streams get {@code write(ByteBuffer)}: their real classes, from the test classpath. */
class ContainerWriteTest {

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
    void aClassWithoutAPublicByteBufferWriteIsWrittenArrays() {
        assertFalse(ContainerWrite.byteBuffers(jakarta.servlet.ServletOutputStream.class).writesBuffers());
    }

    private static boolean writesBuffers(String className) throws ClassNotFoundException {
        Class<?> type = Class.forName(className, false, ContainerWriteTest.class.getClassLoader());
        return ContainerWrite.of(type).writesBuffers();
    }
}
