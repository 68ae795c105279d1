package io.ssehub.web;

import io.ssehub.http.Operations;
import io.ssehub.http.RouteSet;
import io.ssehub.http.Router;
import io.ssehub.http.Services;

/**
 * The seed API's routes and the operational endpoints: the one place that says which of their
 * paths goes where. Mounted beside the other front ends' route sets.
 */
public final class SeedRoutes implements RouteSet {

    @Override
    public void addTo(Router router, Services services) {
        StreamHandler stream = new StreamHandler(services);
        router.add("GET", "/", new IndexHandler(services.pageLinks()))
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
    }
}
