package io.ssehub.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A handler that fails with an {@link Error}, deployed by tests only, behind the hub's filters:
 * {@code .../stack-overflow} recurses until the stack overflows, as deep recursion on a
 * pathological input would; anything else throws a {@link LinkageError}, as a class missing at
 * run time would.
 */
public final class ThrowingServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        if ("/stack-overflow".equals(request.getPathInfo())) {
            response.setStatus(depth(0)); // never reached
        }
        throw new LinkageError("a class this handler needs is missing");
    }

    private static int depth(int level) {
        return depth(level + 1) + 1;
    }
}
