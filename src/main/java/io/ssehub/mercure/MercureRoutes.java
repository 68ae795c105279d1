package io.ssehub.mercure;

import io.ssehub.http.AccessGuard;
import io.ssehub.http.RouteSet;
import io.ssehub.http.Router;
import io.ssehub.http.Services;

/** Mounts the Mercure hub at {@code /.well-known/mercure} beside the seed API. */
public final class MercureRoutes implements RouteSet {

    /** The {@code Link} header that lets clients discover the hub from the console page. */
    public static final String DISCOVERY = "<.well-known/mercure>; rel=\"mercure\"";

    private final MercureSettings settings;

    public MercureRoutes(MercureSettings settings) {
        this.settings = settings;
    }

    @Override
    public void addTo(Router router, Services services) {
        // Mercure's keys are verifiers of the one access policy (the application wiring adds them),
        // so a Mercure token and the seed API's credentials are judged by the same rules.
        AccessGuard guard = new AccessGuard(services.access(), MercureRequests.CREDENTIALS);
        ActiveSubscriptions subscriptions = new ActiveSubscriptions(services.broker(), services.json(),
                settings.subscriptions());
        router.add("GET", "/.well-known/mercure", new MercureSubscribeHandler(services, settings, guard, subscriptions))
                .add("POST", "/.well-known/mercure", services.operations().publishes()
                        .guard(new MercurePublishHandler(services, settings, guard)));
        if (settings.subscriptions()) {
            SubscriptionsHandler handler = new SubscriptionsHandler(services, guard, subscriptions.registry());
            router.add("GET", "/.well-known/mercure/subscriptions", handler)
                    .add("GET", "/.well-known/mercure/subscriptions/{topic}", handler)
                    .add("GET", "/.well-known/mercure/subscriptions/{topic}/{subscriber}", handler);
        }
    }
}
