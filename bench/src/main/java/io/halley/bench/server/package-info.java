/**
 * The servers under test: {@link io.halley.bench.server.HalleyServer}, the limit
 * ({@link io.halley.bench.server.LimitServer}) and the peers ({@link io.halley.bench.server.CometdServer}
 * over WebSocket, {@link io.halley.bench.server.CometdLongPollingServer} over long-polling HTTP,
 * {@link io.halley.bench.server.SpringSseServer} with Spring MVC's {@code SseEmitter}), each run in
 * a JVM of its own by {@link io.halley.bench.server.ServerMain} and driven through its
 * {@link io.halley.bench.server.ControlEndpoint}.
 */
package io.halley.bench.server;
