package io.ssehub.http;

import io.ssehub.sse.Container;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Ends the connection of a request answered with its body unread, where the container would
 * otherwise read the rest of that body on a thread of its own.
 *
 * <p><b>Undertow</b> reads the rest of an unread body when a request completes, synchronous or
 * async, with a blocking read on a worker thread (its {@code closeAndDrainRequest}), whatever the
 * answer's {@code Connection: close}. A client that sends the head of a publish and nothing more
 * would hold that worker for as long as it keeps its connection open, after its 401, 413, 429 or
 * 408: a few dozen such clients would stop every request. There the connection is closed once the
 * answer is out, as Undertow itself does when an async request times out with its answer sent, and
 * the drain ends at once. The connection is reached through Undertow's public
 * {@code HttpServletRequestImpl.getExchange().getConnection()}, found by name: ssehub is built
 * against the servlet API only.
 *
 * <p><b>Elsewhere</b> (Jetty, Tomcat) the container closes a {@code Connection: close} answer's
 * connection without reading the rest: nothing is done.
 */
final class UnreadBodies {

    private static final Logger log = LoggerFactory.getLogger(UnreadBodies.class);

    /** Per request class: its connection as a {@link Closeable}, or {@code null} where nothing is to be done. */
    private static final ClassValue<MethodHandle> CONNECTION = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            return Container.of(type) == Container.UNDERTOW ? connectionOf(type) : null;
        }
    };

    private UnreadBodies() {
    }

    /**
     * Sends the answer written so far and, where the container would drain the unread body
     * (Undertow), closes the connection. Call it on a thread that may block, after the whole answer
     * is written; never throws.
     */
    static void dropAfterAnswer(ServletRequest request, HttpServletResponse response) {
        ServletRequest original = Container.unwrapped(request);
        MethodHandle connection = CONNECTION.get(original.getClass());
        if (connection == null) {
            return;
        }
        try {
            response.flushBuffer();
            ((Closeable) connection.invoke(original)).close();
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            log.debug("could not close the connection of an unread body: {}", e.toString());
        }
    }

    /** {@code getExchange().getConnection()} of Undertow's request class, or {@code null} if it has none. */
    private static MethodHandle connectionOf(Class<?> requestClass) {
        try {
            Method getExchange = requestClass.getMethod("getExchange");
            Method getConnection = getExchange.getReturnType().getMethod("getConnection");
            if (!Closeable.class.isAssignableFrom(getConnection.getReturnType())) {
                return null;
            }
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return MethodHandles.filterReturnValue(lookup.unreflect(getExchange), lookup.unreflect(getConnection))
                    .asType(MethodType.methodType(Closeable.class, Object.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            log.warn("cannot close the connections of unread bodies on {}: {}", requestClass.getName(), e.toString());
            return null;
        }
    }
}
