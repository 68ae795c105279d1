/**
 * ssehub in a Spring Boot servlet application: {@link io.ssehub.spring.SseHubConfiguration}, what
 * it registers, and each Spring Boot version's {@code SseHubAutoConfiguration} ({@code spring-boot/}
 * for 3.5, {@code spring-boot4/} for 4.0). May use: ssehub-core's public types (the configuration
 * keys, the initializer, the {@code SseHub} API, the readiness report), Spring Boot, Micrometer.
 */
package io.ssehub.spring;
