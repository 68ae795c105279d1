package io.ssehub.http.filter;

import jakarta.servlet.Filter;

/**
 * The filters in front of ssehub's servlet, in the order they run, each with the name it is
 * registered under. This is the one list: the WAR's {@code web.xml} declares exactly it (a test
 * checks), and every registration made in code (the embedding initializer, test containers
 * without a {@code web.xml} parser) iterates it, so a filter added here cannot be forgotten there.
 * Every filter supports async requests and applies to {@code REQUEST} dispatches only.
 */
public enum FilterOrder {

    /** First, so every later line and answer carries the request's id. */
    REQUEST_ID("requestId", RequestIdFilter.class),
    /** Outside recovery, so it logs the status recovery sends. */
    ACCESS_LOG("accessLog", AccessLogFilter.class),
    RECOVERY("recovery", RecoveryFilter.class),
    CORS("cors", CorsFilter.class);

    private final String filterName;
    private final Class<? extends Filter> type;

    FilterOrder(String filterName, Class<? extends Filter> type) {
        this.filterName = filterName;
        this.type = type;
    }

    /** The {@code <filter-name>} in {@code web.xml}. */
    public String filterName() {
        return filterName;
    }

    public Class<? extends Filter> type() {
        return type;
    }
}
