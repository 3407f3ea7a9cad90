/**
 * The load generators: the lean NIO client ({@link io.halley.bench.load.NioClients}) for Halley, the
 * limit, Spring, Atmosphere and CometD over long-polling (Bayeux over HTTP), CometD's own client for
 * CometD over WebSocket, and the per-connection accounting
 * ({@link io.halley.bench.load.Receiver}, {@link io.halley.bench.load.Tally}) of the bench payload.
 */
package io.halley.bench.load;
