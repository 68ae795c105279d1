/**
 * The HTTP kit every front end is built from: the one servlet, routing, problems, credentials,
 * and opening streams. The seed API ({@code io.ssehub.web}) and Mercure ({@code io.ssehub.mercure})
 * are peers on top of it; neither uses the other's classes.
 *
 * <p>{@link io.ssehub.http.FrontController} is the one servlet: it mounts every front end's
 * {@link io.ssehub.http.RouteSet} on one {@link io.ssehub.http.Router}, calls one small
 * {@link io.ssehub.http.Handler} per route and renders every
 * {@link io.ssehub.http.ProblemException} as {@code application/problem+json} (RFC 9457) through
 * {@link io.ssehub.http.ProblemWriter}. {@link io.ssehub.http.AccessGuard} takes a request's
 * credential to the one {@code io.ssehub.auth} policy, checks the origin of cookie-authenticated
 * writes and answers refusals with 401 or 403. {@link io.ssehub.http.StreamOpener} turns an
 * admitted request into an event stream. The application wiring hands the servlet its
 * {@link io.ssehub.http.Services}.
 *
 * <p>May use: {@code io.ssehub.hub}, {@code io.ssehub.sse}, {@code io.ssehub.auth}, the servlet API,
 * Jackson, SLF4J.
 */
package io.ssehub.http;
