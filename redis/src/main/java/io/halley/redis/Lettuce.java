package io.halley.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes and frees the Lettuce clients of the Redis parts. Each part owns one client with one I/O
 * thread and one computation thread of its own, so closing one part never disturbs another.
 *
 * <p>Options, the same for every part: automatic reconnect with the settings' backoff; while
 * disconnected, commands are held (Lettuce's {@code DisconnectedBehavior.DEFAULT}) up to
 * {@link #MAX_HELD_COMMANDS} and each fails after the command timeout, so an outage longer than
 * that surfaces as failed commands, never as a silent wait.
 *
 * <p>A cluster URI ({@link RedisSettings#cluster()}) makes a {@link RedisClusterClient} with the same
 * options, which routes every command to the master of its key's slot and refreshes its view of the
 * topology on redirections and reconnects (Lettuce's adaptive triggers). The parts talk to either
 * kind through {@link Connection}: the cluster command interfaces, which the standalone ones extend.
 */
final class Lettuce {
    private static final Logger LOG = LoggerFactory.getLogger(Lettuce.class);

    /** Commands held per connection while Redis is unreachable; past it new ones fail at once. */
    static final int MAX_HELD_COMMANDS = 100_000;

    private Lettuce() {
    }

    /** One connection of either kind, with its commands as the interfaces both kinds share. */
    record Connection(StatefulConnection<String, String> stateful, RedisClusterCommands<String, String> sync,
                      RedisClusterAsyncCommands<String, String> async) {
    }

    /** A new connection of {@code client} (a {@link RedisClient} or a {@link RedisClusterClient}). */
    static Connection connect(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient c) {
            var x = c.connect(StringCodec.UTF8);
            return new Connection(x, x.sync(), x.async());
        }
        var x = ((RedisClient) client).connect(StringCodec.UTF8);
        return new Connection(x, x.sync(), x.async());
    }

    /** A client for the part named {@code part}: standalone, Sentinel or cluster, as the URI says. */
    static AbstractRedisClient anyClient(RedisSettings s, String part) {
        if (!s.cluster()) return client(s, part);
        var uris = s.clusterUris("halley-" + part); // before the resources, which a failure here would leave running
        RedisClusterClient client = RedisClusterClient.create(resources(s), uris);
        client.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.DEFAULT)
                .requestQueueSize(MAX_HELD_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(s.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(s.commandTimeout()).keepAlive(true).build())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers().build())
                .build());
        client.addListener(new StateLogger(part, s.redactedUri()));
        return client;
    }

    private static ClientResources resources(RedisSettings s) {
        return ClientResources.builder()
                .ioThreadPoolSize(2) // Lettuce's minimum; asking for 1 only logs a correction
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(s.reconnectMinDelay(), s.reconnectMaxDelay(), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** A standalone or Sentinel client for the part named {@code part} (not for a cluster URI). */
    static RedisClient client(RedisSettings s, String part) {
        var uri = s.redisUri("halley-" + part); // before the resources, which a failure here would leave running
        RedisClient client = RedisClient.create(resources(s), uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.DEFAULT)
                .requestQueueSize(MAX_HELD_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(s.commandTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(s.commandTimeout()).keepAlive(true).build())
                .build());
        client.addListener(new StateLogger(part, s.redactedUri()));
        return client;
    }

    /** Shuts {@code client} and its threads down, waiting at most about two seconds. Never throws. */
    static void shutdown(AbstractRedisClient client) {
        try {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            LOG.debug("shutting down a Redis client", e);
        }
        try {
            client.getResources().shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            LOG.debug("shutting down Redis client resources", e);
        }
    }

    /** The failure to hand a caller when {@code what} could not be done on Redis. */
    static RedisUnavailableException unavailable(String what, RedisSettings s, RedisException e) {
        String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new RedisUnavailableException(what + " failed on " + s.redactedUri() + ": " + cause, e);
    }

    /** Logs connection changes: losing Redis is expected now and then, so it is DEBUG; coming back is INFO. */
    private static final class StateLogger implements RedisConnectionStateListener {
        private final String part;
        private final String uri;

        StateLogger(String part, String uri) {
            this.part = part;
            this.uri = uri;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
            LOG.debug("halley-{} connected to {} ({})", part, uri, address);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            LOG.debug("halley-{} lost its connection to {}; reconnecting", part, uri);
        }

        @Override
        public void onRedisExceptionCaught(RedisChannelHandler<?, ?> connection, Throwable cause) {
            LOG.debug("halley-{} connection to {} failed", part, uri, cause);
        }
    }
}
