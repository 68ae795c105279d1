package io.ssehub.bench.server;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * A tiny web application for {@link UndertowLauncherTest}: its compiled classes are copied into a
 * WAR's {@code WEB-INF/classes}, so they must need nothing but the JDK and the servlet API.
 */
final class Probes {

    private Probes() {
    }

    /** Marks the context, to show the listener ran before the servlet. */
    public static final class Listener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            event.getServletContext().setAttribute("listener", "ran");
        }
    }

    /** Appends its init-param {@code tag} to the request attribute {@code chain}. */
    public static final class Tag implements Filter {
        private String tag;

        @Override
        public void init(FilterConfig config) {
            tag = config.getInitParameter("tag");
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            Object before = request.getAttribute("chain");
            request.setAttribute("chain", (before == null ? "" : before + ">") + tag);
            chain.doFilter(request, response);
        }
    }

    /** Answers with what it sees: the filter chain, the context, async support and its class loader. */
    public static final class Echo extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            ClassLoader loader = getClass().getClassLoader();
            boolean harnessVisible;
            try {
                Class.forName("io.ssehub.bench.server.UndertowLauncherTest", false, loader);
                harnessVisible = true;
            } catch (ClassNotFoundException expected) {
                harnessVisible = false;
            }
            response.setContentType("text/plain");
            response.getWriter().print("chain=" + request.getAttribute("chain")
                    + " greeting=" + getServletContext().getInitParameter("greeting")
                    + " listener=" + getServletContext().getAttribute("listener")
                    + " servletParam=" + getInitParameter("p")
                    + " async=" + request.isAsyncSupported()
                    + " loader=" + loader.getName()
                    + " harnessVisible=" + harnessVisible
                    + " classesResource=" + (loader.getResource("probe.txt") != null));
        }
    }
}
