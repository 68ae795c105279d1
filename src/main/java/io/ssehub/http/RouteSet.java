package io.ssehub.http;

/** Routes of a further front end (such as the Mercure protocol), added to the one router at start. */
@FunctionalInterface
public interface RouteSet {
    void addTo(Router router, Services services);
}
