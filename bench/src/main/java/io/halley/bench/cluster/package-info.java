/**
 * The 3-node scenario's system: Halley nodes on one redis-server
 * ({@link io.halley.bench.cluster.RedisProcess}), driven as one server
 * ({@link io.halley.bench.cluster.Cluster}): published on node 1, subscribers spread over every
 * node.
 */
package io.halley.bench.cluster;
