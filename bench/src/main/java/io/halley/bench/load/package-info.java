/**
 * The load generators: the lean NIO client ({@link io.halley.bench.load.NioClients}) for Halley, the
 * limit, Spring, Atmosphere and CometD over long-polling (Bayeux over HTTP), its WebSocket sibling
 * ({@link io.halley.bench.load.WsClients}, RFC 6455 on NIO) for Halley's {@code /halley/ws} and the
 * limit's {@code /ws}, CometD's own client ({@link io.halley.bench.load.CometdClients}) for CometD over
 * WebSocket, and the per-connection accounting ({@link io.halley.bench.load.Receiver},
 * {@link io.halley.bench.load.Tally}) of the bench payload ({@link io.halley.bench.load.Payload}),
 * behind {@link io.halley.bench.load.Clients}.
 */
package io.halley.bench.load;
