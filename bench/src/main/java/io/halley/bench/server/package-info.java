/**
 * The servers under test: {@link io.halley.bench.server.HalleyServer}, the limit
 * ({@link io.halley.bench.server.LimitServer}) and {@link io.halley.bench.server.CometdServer}, each run in a JVM
 * of its own by {@link io.halley.bench.server.ServerMain} and driven through its
 * {@link io.halley.bench.server.ControlEndpoint}.
 */
package io.halley.bench.server;
