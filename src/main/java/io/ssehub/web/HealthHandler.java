package io.ssehub.web;

import io.ssehub.http.Handler;
import io.ssehub.http.JsonResponses;
import io.ssehub.http.Services;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.hub.Hub;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /healthz}: {@code 200 {"status":"up","subscribers":N,"topics":N}}, always open. Where
 * the operational endpoints are guarded it says {@code {"status":"up"}} only: nothing about topics.
 */
final class HealthHandler implements Handler {

    private final Hub hub;
    private final ObjectMapper json;

    private final boolean counts;

    HealthHandler(Services services, boolean counts) {
        this.counts = counts;
        this.hub = services.hub();
        this.json = services.json();
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Health(String status, Integer subscribers, Integer topics) {
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        JsonResponses.write(response, json, counts ? new Health("up", hub.subscribers(), hub.topics())
                : new Health("up", null, null));
    }
}
