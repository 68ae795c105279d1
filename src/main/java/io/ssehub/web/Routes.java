package io.ssehub.web;

/** The route table of the HTTP API; the one place that says which path goes where. */
final class Routes {

    private Routes() {
    }

    static Router of(Services services) {
        StreamHandler stream = new StreamHandler(services);
        Router router = new Router()
                .add("GET", "/", new IndexHandler(services.pageLinks()))
                .add("GET", "/events", stream)
                .add("GET", "/events/{topic}", stream)
                .add("GET", "/topics/{topic}", new TopicHandler(services))
                .add("POST", "/publish", services.operations().publishes()
                        .guard(new PublishHandler(services), services.limits().maxBodyBytes()))
                .add("GET", "/healthz", new HealthHandler(services))
                .add("GET", "/readyz", new ReadyHandler(services));
        Operations.Exposition metrics = services.operations().metrics();
        if (metrics != null) {
            router.add("GET", "/metrics", new MetricsHandler(metrics));
        }
        for (RouteSet more : services.routeSets()) {
            more.addTo(router, services);
        }
        return router;
    }
}
