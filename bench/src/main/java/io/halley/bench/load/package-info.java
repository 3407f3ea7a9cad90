/**
 * The load generators: the lean NIO client ({@link io.halley.bench.load.NioClients}) for Halley and
 * the limit, CometD's own client for CometD, and the per-connection accounting
 * ({@link io.halley.bench.load.Receiver}, {@link io.halley.bench.load.Tally}) of the bench payload.
 */
package io.halley.bench.load;
