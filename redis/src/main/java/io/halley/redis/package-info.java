/**
 * Scale-out over Redis: several Halley nodes share GLOBAL pools, channels (with ids and a
 * catch-up history) and server actions through one Redis server, a Sentinel-watched master
 * ({@code redis-sentinel://…}) or a Redis Cluster 7+ ({@code redis-cluster://h:p,h:p}: every key
 * hash-tagged so each script stays on one slot, channels over sharded pub/sub, each node
 * subscribed only to the channels it has readers for).
 *
 * <pre>{@code
 * RedisSettings redis = RedisSettings.of("redis://redis.internal:6379");
 * Halley halley = Halley.builder()
 *         .hub(new RedisHub(redis))
 *         .history(new RedisChannelHistory(redis))
 *         .queue(new RedisQueue(redis))
 *         .build().start();
 * }</pre>
 *
 * <p>{@link io.halley.redis.RedisSettings} says how to reach Redis; {@link io.halley.redis.RedisHub},
 * {@link io.halley.redis.RedisChannelHistory} and {@link io.halley.redis.RedisQueue} implement the
 * core SPI; {@link io.halley.redis.RedisUnavailableException} is what a caller sees when Redis
 * cannot answer in time. Everything else is package-private.
 */
package io.halley.redis;
