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
 * <p>What one client may cost is {@link io.ssehub.http.ClientLimits}': who a client is
 * ({@link io.ssehub.http.ClientAddress}, trusting forwarded headers from configured proxies only),
 * how a publish body must arrive ({@link io.ssehub.http.BodyReader}, which reads it without
 * holding a container thread, and whose refused bodies {@link io.ssehub.http.Lingering} reads and
 * throws away so that the refusal reaches the client), how many topics it may create ({@link io.ssehub.http.TopicLimit})
 * and how often it may publish ({@link io.ssehub.http.PublishRate}).
 *
 * <p>May use: {@code io.ssehub.hub}, {@code io.ssehub.sse}, {@code io.ssehub.auth}, the servlet API,
 * Jackson, SLF4J.
 */
package io.ssehub.http;
