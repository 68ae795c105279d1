/**
 * The Mercure protocol (draft-dunglas-mercure-07, the {@code topic=} protocol of Mercure 0.x)
 * beside the seed API, on the same hub, ids and history: subscribe by topic selectors at
 * {@code GET /.well-known/mercure}, publish with a form at {@code POST /.well-known/mercure},
 * JWT authorisation with {@code mercure.publish} / {@code mercure.subscribe} claims, private
 * updates, and the active-subscriptions API with subscription events.
 *
 * <p>May use: {@code io.ssehub.hub}, {@code io.ssehub.sse}, {@code io.ssehub.http}, {@code io.ssehub.auth}, Jackson,
 * nimbus-jose-jwt, SLF4J.
 */
package io.ssehub.mercure;
