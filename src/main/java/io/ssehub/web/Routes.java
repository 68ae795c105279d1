package io.ssehub.web;

import jakarta.servlet.ServletContext;

/** The route table of the HTTP API; the one place that says which path goes where. */
final class Routes {

    private Routes() {
    }

    static Router of(Services services, ServletContext context) {
        return new Router()
                .add("GET", "/", new IndexHandler(context))
                .add("GET", "/events/{topic}", new StreamHandler(services))
                .add("POST", "/publish", new PublishHandler(services))
                .add("GET", "/healthz", new HealthHandler(services));
    }
}
