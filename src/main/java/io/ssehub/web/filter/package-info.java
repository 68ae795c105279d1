/**
 * The servlet filters in front of every request, in the order {@code web.xml} declares them:
 * {@link io.ssehub.web.filter.RequestIdFilter} names the request,
 * {@link io.ssehub.web.filter.AccessLogFilter} logs its outcome,
 * {@link io.ssehub.web.filter.RecoveryFilter} turns anything that escapes a handler into a 500,
 * and {@link io.ssehub.web.filter.CorsFilter} answers preflights and marks answers for the
 * configured origins.
 *
 * <p>May use: the servlet API, SLF4J, {@code io.ssehub.auth.CorsPolicy}.
 */
package io.ssehub.web.filter;
