/**
 * The servlet filters in front of every request, in the order {@code web.xml} declares them:
 * {@link io.ssehub.web.filter.RequestIdFilter} names the request,
 * {@link io.ssehub.web.filter.AccessLogFilter} logs its outcome, and
 * {@link io.ssehub.web.filter.RecoveryFilter} turns anything that escapes a handler into a 500.
 *
 * <p>May use: the servlet API, SLF4J.
 */
package io.ssehub.web.filter;
