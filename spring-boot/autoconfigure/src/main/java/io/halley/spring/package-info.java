/**
 * Halley in a Spring Boot application (3.5 and 4.0): {@link io.halley.spring.HalleyAutoConfiguration}
 * mounts {@code CometServlet} at {@code halley.path} (default {@code /halley/*}) with the session
 * listener, runs one {@code Halley} for the application context's life (closed, held streams
 * ended, before the web server's graceful shutdown), binds a {@code halley.*} property for every
 * setting, picks up the application's beans (channel policy, page listeners, callbacks, actions,
 * hub / queue / history) and, with {@code halley-redis} and a Redis server configured, uses Redis.
 * {@link io.halley.spring.HalleyCustomizer} sets in code what properties cannot. See
 * {@code docs/spring-boot.md}.
 */
package io.halley.spring;
