/**
 * The scenarios (idle, fan-out, transports, latency), run the same way against every server.
 */
package io.halley.bench.scenario;
