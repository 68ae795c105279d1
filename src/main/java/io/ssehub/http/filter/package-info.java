/**
 * The servlet filters in front of every request, in the order {@link io.ssehub.http.filter.FilterOrder}
 * lists them (and {@code web.xml} declares them, to the letter):
 * {@link io.ssehub.http.filter.RequestIdFilter} names the request,
 * {@link io.ssehub.http.filter.AccessLogFilter} logs its outcome,
 * {@link io.ssehub.http.filter.RecoveryFilter} turns anything that escapes a handler into a 500,
 * and {@link io.ssehub.http.filter.CorsFilter} answers preflights and marks answers for the
 * configured origins. Whatever registers the filters in code (the embedding initializer, a test
 * container) does so from {@code FilterOrder}, never from a list of its own.
 *
 * <p>May use: the servlet API, SLF4J, {@code io.ssehub.auth.CorsPolicy}.
 */
package io.ssehub.http.filter;
