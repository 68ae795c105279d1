package io.ssehub.bench.scenario;

/** A server ssehub is compared with, each a column of the table beside ssehub's. */
public enum Peer {
    /** nginx with the nchan module: the reference for every scenario. */
    NCHAN,
    /** The container's floor: a minimal servlet in the same launcher and JVM options as ssehub. */
    FLOOR,
    /** The hub a Spring developer would write: Spring Boot, embedded Tomcat, an {@code SseEmitter} per stream. */
    SPRING
}
