package io.halley.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels' pub/sub of a {@link RedisHub} on a Redis Cluster: sharded pub/sub (Redis 7+). Each
 * channel has a shard channel of its own, {@code <prefix>ch:{<channel>}:pub}, in the slot of the
 * channel's history keys, so it lives on the master that records the channel; this node
 * {@code SSUBSCRIBE}s to it when the channel gains its first reader here ({@link #watch}) and
 * {@code SUNSUBSCRIBE}s after the last one left ({@link #unwatch}). A node's subscriptions are
 * thereby spread over the masters and carry only the channels it has readers for.
 *
 * <p><b>Reconnects.</b> Lettuce keeps one pub/sub connection per master and re-subscribes it after
 * a reconnect, but in one {@code SSUBSCRIBE} naming every shard channel of that master, which Redis
 * refuses ({@code CROSSSLOT}) when they are in different slots. So after every reconnect of the
 * client this class subscribes again to each watched channel on its own, retrying with the
 * reconnect backoff until Redis confirms. Every confirmation of a channel that was confirmed
 * before (a re-subscription) is reported to {@code onResubscribed}, which catches the channels up
 * from their history. Thread-safe.
 */
final class ShardedChannels {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedChannels.class);

    private final RedisSettings settings;
    private final StatefulRedisClusterPubSubConnection<String, String> connection;
    private final Map<String, Integer> watched = new ConcurrentHashMap<>(); // channel -> readers' watch count
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService retries;
    private final Runnable onResubscribed;
    private final java.util.concurrent.atomic.AtomicBoolean catchUpPending = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    /**
     * Connects the cluster pub/sub connection; {@code onMessage} gets (channel, text) of every shard
     * message, on a Lettuce thread.
     */
    ShardedChannels(RedisSettings settings, RedisClusterClient client, BiConsumer<String, String> onMessage, Runnable onResubscribed) {
        this.settings = settings;
        this.onResubscribed = onResubscribed;
        this.connection = client.connectPubSub(StringCodec.UTF8);
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "halley-hub-resubscribe");
            t.setDaemon(true);
            return t;
        });
        connection.addListener(new RedisClusterPubSubAdapter<String, String>() {
            @Override
            public void smessage(RedisClusterNode node, String shardChannel, String message) {
                String channel = channelOf(shardChannel);
                if (channel != null) onMessage.accept(channel, message);
            }

            @Override
            public void ssubscribed(RedisClusterNode node, String shardChannel, long count) {
                String channel = channelOf(shardChannel);
                if (channel == null || !watched.containsKey(channel)) return;
                if (!confirmed.add(channel)) {
                    LOG.debug("subscribed again to channel {} on {}", channel, node == null ? "?" : node.getUri());
                    resubscribed();
                }
            }

            @Override
            public void sunsubscribed(RedisClusterNode node, String shardChannel, long count) {
                String channel = channelOf(shardChannel);
                if (channel != null && !watched.containsKey(channel)) confirmed.remove(channel);
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress address) {
                if (closed || watched.isEmpty()) return;
                try {
                    retries.execute(() -> resubscribeAll(0));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // closing
                }
            }
        });
    }

    /** Reports re-subscriptions once per burst (a master's channels confirm one by one). */
    private void resubscribed() {
        if (closed || !catchUpPending.compareAndSet(false, true)) return;
        try {
            retries.schedule(() -> {
                catchUpPending.set(false);
                onResubscribed.run();
            }, 50, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            catchUpPending.set(false); // closing
        }
    }

    /** {@code <prefix>ch:{<channel>}:pub}. */
    String shardChannel(String channel) {
        return settings.keyPrefix() + "ch:{" + channel + "}:pub";
    }

    private String channelOf(String shardChannel) {
        String head = settings.keyPrefix() + "ch:{";
        if (!shardChannel.startsWith(head) || !shardChannel.endsWith("}:pub")) return null;
        return shardChannel.substring(head.length(), shardChannel.length() - 5);
    }

    /**
     * Counts a reader of {@code channel}; the first subscribes and waits for Redis to confirm.
     *
     * @throws RedisUnavailableException when Redis does not confirm within the command timeout
     */
    synchronized void watch(String channel) {
        Integer n = watched.get(channel);
        if (n != null) {
            watched.put(channel, n + 1);
            return;
        }
        watched.put(channel, 1);
        try {
            connection.async().ssubscribe(shardChannel(channel)).get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            confirmed.add(channel);
        } catch (InterruptedException e) {
            watched.remove(channel);
            Thread.currentThread().interrupt();
            throw Lettuce.unavailable("subscribing to channel " + channel, settings, new RedisException("interrupted"));
        } catch (ExecutionException | TimeoutException e) {
            watched.remove(channel);
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw Lettuce.unavailable("subscribing to channel " + channel, settings, new RedisException(c.toString(), c));
        }
    }

    /** Un-counts a reader of {@code channel}; after the last one, unsubscribes (without waiting). */
    synchronized void unwatch(String channel) {
        Integer n = watched.get(channel);
        if (n == null) return;
        if (n > 1) {
            watched.put(channel, n - 1);
            return;
        }
        watched.remove(channel);
        confirmed.remove(channel);
        if (closed) return;
        connection.async().sunsubscribe(shardChannel(channel)).whenComplete((r, e) -> {
            if (e != null) LOG.debug("unsubscribing from channel {} failed", channel, e);
        });
    }

    /** The channels this node subscribes to now (for tests and monitoring). */
    Set<String> watched() {
        return Set.copyOf(watched.keySet());
    }

    /** Each watched channel subscribed again on its own; failures retried with the reconnect backoff. */
    private void resubscribeAll(int attempt) {
        if (closed) return;
        boolean failed = false;
        for (String channel : watched.keySet()) {
            try {
                connection.async().ssubscribe(shardChannel(channel)).get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                if (attempt == 0) LOG.debug("subscribing again to channel {} failed; retrying", channel, e);
                failed = true;
            }
        }
        if (failed && !closed) {
            long min = settings.reconnectMinDelay().toMillis();
            long delay = Math.min(settings.reconnectMaxDelay().toMillis(), min << Math.min(20, attempt));
            try {
                retries.schedule(() -> resubscribeAll(attempt + 1), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    boolean isOpen() {
        return connection.isOpen();
    }

    void close() {
        closed = true;
        retries.shutdownNow();
        try {
            retries.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
