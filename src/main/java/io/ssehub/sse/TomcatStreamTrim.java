package io.ssehub.sse;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gives back, on Tomcat 10.1 and 11, what Tomcat holds for every request and an event stream
 * never uses. Tomcat's request object allocates, whether or not the application asks for a reader
 * or a writer, an input character buffer, an output character buffer (8,192 characters each, 16 KiB
 * of heap each) and an input byte buffer (8 KiB) that a request without a body never fills. An idle
 * stream holds them as long as it lives; the servlet API cannot release them, Tomcat's own objects
 * behind its request and response facades can. A stream reads bytes (which Tomcat hands over in
 * buffers of its connection's, not this one) and writes bytes, so the two character buffers are
 * swapped for ones of {@value #TRIMMED_CHARS} characters, enough that a reader or writer someone
 * still asks for works, and the unused byte buffer for an empty one (what Tomcat itself leaves
 * there between requests).
 *
 * <p>Tomcat recycles the request object for the connection's next request, so when the stream's
 * asynchronous request completes the character buffers are put back at their former capacity,
 * before Tomcat recycles it: a later request on the connection, which may belong to another
 * application, meets Tomcat as it was.
 *
 * <p>Only on Tomcat's own facades, of a Tomcat version whose fields were checked (10.1, 11.0),
 * and only when every field is where it was: anywhere else (Jetty, Undertow, another Tomcat, a
 * facade wrapped in a way it cannot see through) nothing is touched and the reason is logged once
 * at debug. Setting a final field by reflection (the output character buffer) is what a future JDK
 * may refuse; then too nothing is touched.
 */
public final class TomcatStreamTrim {

    private static final Logger log = LoggerFactory.getLogger(TomcatStreamTrim.class);

    /** The characters a trimmed buffer holds: a stream uses none, a stray reader or writer works on. */
    static final int TRIMMED_CHARS = 64;

    private static final String CONNECTOR = "org.apache.catalina.connector.";
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private static final ClassValue<Optional<Fields>> FIELDS = new ClassValue<>() {
        @Override
        protected Optional<Fields> computeValue(Class<?> requestFacade) {
            try {
                return Optional.of(Fields.of(requestFacade.getClassLoader()));
            } catch (ReflectiveOperationException | RuntimeException e) {
                untouched("Tomcat's request is not as expected (" + e + ")");
                return Optional.empty();
            }
        }
    };

    private TomcatStreamTrim() {
    }

    /**
     * Trims what the stream's request and response hold, if they are Tomcat's; does nothing
     * otherwise. Call it on the thread that started {@code async} for them, before the stream is
     * handed to another thread and before anything reads the request or writes the response.
     */
    public static void release(ServletRequest streamRequest, ServletResponse streamResponse, AsyncContext async) {
        ServletRequest request = Container.unwrapped(streamRequest);
        ServletResponse response = Container.unwrapped(streamResponse);
        if (!request.getClass().getName().equals(CONNECTOR + "RequestFacade")
                || !response.getClass().getName().equals(CONNECTOR + "ResponseFacade")) {
            return; // another container: nothing of Tomcat's to trim
        }
        Optional<Fields> fields = FIELDS.get(request.getClass());
        if (fields.isPresent()) {
            try {
                fields.get().trim(request, response, async);
            } catch (ReflectiveOperationException | RuntimeException e) {
                untouched("Tomcat refused the trim (" + e + ")");
            }
        }
    }

    private static void untouched(String why) {
        if (LOGGED.compareAndSet(false, true)) {
            log.debug("Tomcat's per-request buffers are left as they are: {}", why);
        }
    }

    private static CharBuffer emptyChars(int capacity) {
        CharBuffer chars = CharBuffer.allocate(capacity);
        chars.limit(0); // Tomcat's empty buffer: its content lies between position and limit
        return chars;
    }

    /** The fields of Tomcat's connector classes the trim sets, looked up once per class loader. */
    private record Fields(Field request, Field inputBuffer, Field inputBytes, Field inputChars, Field inputConverter,
                          Field response, Field outputBuffer, Field outputChars, Field outputConverter) {

        static Fields of(ClassLoader loader) throws ReflectiveOperationException {
            String version = (String) Class.forName("org.apache.catalina.util.ServerInfo", false, loader)
                    .getMethod("getServerNumber").invoke(null);
            if (!version.startsWith("10.1.") && !version.startsWith("11.0.")) {
                throw new IllegalStateException("Tomcat " + version + " was not checked");
            }
            Class<?> input = Class.forName(CONNECTOR + "InputBuffer", false, loader);
            Class<?> output = Class.forName(CONNECTOR + "OutputBuffer", false, loader);
            return new Fields(
                    field(CONNECTOR + "RequestFacade", "request", CONNECTOR + "Request", loader),
                    field(CONNECTOR + "Request", "inputBuffer", input.getName(), loader),
                    field(input.getName(), "bb", ByteBuffer.class.getName(), loader),
                    field(input.getName(), "cb", CharBuffer.class.getName(), loader),
                    field(input.getName(), "conv", "org.apache.tomcat.util.buf.B2CConverter", loader),
                    field(CONNECTOR + "ResponseFacade", "response", CONNECTOR + "Response", loader),
                    field(CONNECTOR + "Response", "outputBuffer", output.getName(), loader),
                    field(output.getName(), "cb", CharBuffer.class.getName(), loader),
                    field(output.getName(), "conv", "org.apache.tomcat.util.buf.C2BConverter", loader));
        }

        private static Field field(String owner, String name, String type, ClassLoader loader)
                throws ReflectiveOperationException {
            Field field = Class.forName(owner, false, loader).getDeclaredField(name);
            if (!field.getType().getName().equals(type)) {
                throw new NoSuchFieldException(owner + "." + name + " is a " + field.getType().getName());
            }
            field.setAccessible(true);
            return field;
        }

        void trim(ServletRequest facade, ServletResponse responseFacade, AsyncContext async)
                throws ReflectiveOperationException {
            Object input = inputBuffer.get(request.get(facade));
            Object output = outputBuffer.get(response.get(responseFacade));
            ByteBuffer bytes = (ByteBuffer) inputBytes.get(input);
            if (bytes.capacity() > 0 && !bytes.hasRemaining()) {
                inputBytes.set(input, ByteBuffer.allocate(0)); // Tomcat reads into its connection's buffers
            }
            int inputCapacity = trimmed(input, inputChars, inputConverter);
            int outputCapacity = trimmed(output, outputChars, outputConverter);
            if (inputCapacity > 0 || outputCapacity > 0) {
                async.addListener(new Restore(this, input, inputCapacity, output, outputCapacity));
            }
        }

        /** The capacity of the character buffer it swapped for a small one, or 0 if it left it. */
        private static int trimmed(Object buffer, Field chars, Field converter) throws ReflectiveOperationException {
            CharBuffer held = (CharBuffer) chars.get(buffer);
            if (converter.get(buffer) != null || held.hasRemaining() || held.capacity() <= TRIMMED_CHARS) {
                return 0; // a reader or writer was used, or there is nothing to gain
            }
            chars.set(buffer, emptyChars(TRIMMED_CHARS));
            return held.capacity();
        }
    }

    /** Puts the character buffers back at their capacity when the stream's request completes. */
    private record Restore(Fields fields, Object input, int inputCapacity, Object output, int outputCapacity)
            implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            try {
                restore(input, fields.inputChars(), inputCapacity);
                restore(output, fields.outputChars(), outputCapacity);
            } catch (ReflectiveOperationException | RuntimeException e) {
                untouched("Tomcat refused to take its buffers back (" + e + ")");
            }
        }

        /** Leaves a buffer that holds characters (a writer used after all) for Tomcat to send and clear. */
        private static void restore(Object buffer, Field chars, int capacity) throws ReflectiveOperationException {
            if (capacity > 0 && !((CharBuffer) chars.get(buffer)).hasRemaining()) {
                chars.set(buffer, emptyChars(capacity));
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
