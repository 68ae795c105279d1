/**
 * The seed API and the operational endpoints: {@code GET /events}, {@code POST /publish},
 * {@code GET /topics/{topic}}, {@code /healthz}, {@code /readyz}, {@code /metrics} and the
 * console page, mounted by {@link io.ssehub.web.SeedRoutes}. Each handler translates a request
 * onto the hub; access, problems and streams are the shared kit's ({@code io.ssehub.http}). The
 * publishing rules are the hub's ({@link io.ssehub.hub.PublishRules},
 * {@link io.ssehub.hub.TopicQuota}), shared with the Java API; here they become problems.
 *
 * <p>May use: {@code io.ssehub.http}, {@code io.ssehub.hub}, {@code io.ssehub.sse},
 * {@code io.ssehub.auth}, the servlet API, Jackson, SLF4J. Never {@code io.ssehub.mercure}.
 */
package io.ssehub.web;
