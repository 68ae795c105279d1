/**
 * ssehub in a Spring Boot servlet application: {@link io.ssehub.spring.SseHubAutoConfiguration}
 * and what it registers. May use: ssehub-core's public types (the configuration keys, the
 * initializer, the {@code SseHub} API, the readiness report), Spring Boot, Micrometer.
 */
package io.ssehub.spring;
