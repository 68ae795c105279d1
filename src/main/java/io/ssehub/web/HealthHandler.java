package io.ssehub.web;

import io.ssehub.http.Handler;
import io.ssehub.http.JsonResponses;
import io.ssehub.http.Services;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssehub.hub.Hub;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;

/** {@code GET /healthz}: {@code 200 {"status":"up","subscribers":N,"topics":N}}. */
final class HealthHandler implements Handler {

    private final Hub hub;
    private final ObjectMapper json;

    HealthHandler(Services services) {
        this.hub = services.hub();
        this.json = services.json();
    }

    record Health(String status, int subscribers, int topics) {
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> params)
            throws IOException {
        JsonResponses.write(response, json, new Health("up", hub.subscribers(), hub.topics()));
    }
}
