/**
 * The HTTP front end of the seed API.
 *
 * <p>{@link io.ssehub.web.FrontController} is the one servlet: it routes with {@link
 * io.ssehub.web.Router} to one small {@link io.ssehub.web.Handler} per route and renders every
 * {@link io.ssehub.web.ProblemException} as {@code application/problem+json} (RFC 9457) through
 * {@link io.ssehub.web.ProblemWriter}. Handlers translate requests onto the hub and never write
 * errors themselves. The application wiring hands the servlet its {@link io.ssehub.web.Services}.
 *
 * <p>{@link io.ssehub.web.AccessGuard} takes a request's credential to the {@code io.ssehub.auth}
 * policy and answers refusals with 401 or 403.
 *
 * <p>May use: {@code io.ssehub.hub}, {@code io.ssehub.sse}, {@code io.ssehub.auth}, the servlet API,
 * Jackson, SLF4J.
 */
package io.ssehub.web;
