/**
 * The benchmark suite ({@link io.halley.bench.Suite}, the jar's main class): Halley against the
 * limit (a bare Jetty async SSE servlet) and the peers (CometD over WebSocket and long-polling,
 * Spring MVC's SseEmitter, Atmosphere) on the same load, over SSE and over WebSocket, and three
 * Halley nodes on one Redis beside the single node, all up side by side, each scenario in
 * trials in rotation, reported as medians with their spread and as ratios; {@code Pinning} is
 * {@code --pin}. By role:
 * {@code server} (the servers under test, each in a JVM of its own behind a control port),
 * {@code load} (the load generators and their accounting), {@code scenario} (what is run against
 * each server), {@code cluster} (the 3-node scenario's Redis and nodes), {@code report} (tables, charts, targets) and {@code micro} (JMH).
 */
package io.halley.bench;
