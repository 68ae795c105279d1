package io.ssehub.launcher;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of the web application: a request the application does not take because it is
 * stopping (or has stopped) gets {@code 503} with {@code Retry-After: 1}, as ssehub itself answers
 * while it shuts down, instead of Jetty's {@code 404}, which would tell a publisher or a load
 * balancer that the path does not exist.
 */
final class Stopping extends Handler.Wrapper {

    Stopping(Handler webapp) {
        super(webapp);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (super.handle(request, response, callback)) {
            return true;
        }
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
        return true;
    }
}
