package io.ssehub.web;

import io.ssehub.http.AccessGuard;
import io.ssehub.http.Credential;
import io.ssehub.http.Operations;
import io.ssehub.http.RouteSet;
import io.ssehub.http.Router;
import io.ssehub.http.Services;

/**
 * The seed API's routes and the operational endpoints: the one place that says which of their
 * paths goes where. Mounted beside the other front ends' route sets.
 */
public final class SeedRoutes implements RouteSet {

    /**
     * Where the seed API's clients put a credential besides {@code Authorization: Bearer} and
     * {@code X-API-Key}: the cookie {@code ssehub_token} (an {@code EventSource} cannot set
     * headers) and, for streams only, {@code ?access_token=}.
     */
    public static final Credential.Places CREDENTIALS = new Credential.Places("ssehub_token", "access_token");

    @Override
    public void addTo(Router router, Services services) {
        AccessGuard guard = new AccessGuard(services.access(), CREDENTIALS);
        StreamHandler stream = new StreamHandler(services, guard);
        router.add("GET", "/", new IndexHandler(services.pageLinks()))
                .add("GET", "/events", stream)
                .add("GET", "/events/{topic}", stream)
                .add("GET", "/topics/{topic}", new TopicHandler(services, guard))
                .add("POST", "/publish", services.operations().publishes()
                        .guard(new PublishHandler(services, guard)))
                .add("GET", "/healthz", new HealthHandler(services, guard.opsOpen()))
                .add("GET", "/readyz", new ReadyHandler(services));
        Operations.Exposition metrics = services.operations().metrics();
        if (metrics != null) {
            router.add("GET", "/metrics", new MetricsHandler(metrics, guard));
        }
    }
}
