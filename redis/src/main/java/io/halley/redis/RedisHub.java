package io.halley.redis;

import io.halley.core.metrics.HubMeters;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubHealth;
import io.halley.core.spi.HubCodec;
import io.halley.core.spi.HubMessage;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Hub} over Redis; payloads travel as the JSON text of {@link HubCodec}. Every node, this
 * one included, gets each message from Redis, so all nodes see one topic's messages in the order
 * Redis received them.
 *
 * <p><b>Two kinds of topic.</b> The channels' topic ({@value #CHANNELS_TOPIC}) is plain pub/sub:
 * Redis channel {@code <keyPrefix>t}, one connection per node subscribed to it; its messages are
 * recorded in the {@link RedisChannelHistory} before they are published, and the runtime catches
 * up from there after a re-subscribe ({@link #onResubscribed}). Every other topic (GLOBAL pools,
 * commands for pages on other nodes, and any topic the runtime adds) is <em>recorded</em>: a Redis
 * Stream per topic, appended in publish order exactly once by {@link TopicStreamWriter} and read by
 * {@link TopicStreams} from the last entry delivered, so a reconnect, a Redis restart that keeps
 * its data or a pause loses nothing and duplicates nothing; where catching up is impossible (the
 * stream was trimmed past {@link RedisSettings#hubStreamLength()}, or Redis lost its data) the
 * topic's receivers get a {@link HubMessage.TopicGap}, never silence.
 *
 * <p><b>Threads.</b> Receivers of the channels' topic run on the hub's I/O thread, those of
 * recorded topics on the {@code halley-hub-reader} thread, one message at a time; they must not
 * block. {@link #publish} never blocks: it encodes, queues the message and returns.
 * {@link #subscribe} of a new topic waits up to the command timeout for Redis to answer.
 *
 * <p><b>Redis going away.</b> Both connections reconnect by themselves with the settings' backoff,
 * and the subscriber re-subscribes to every topic. Publishes while disconnected are held and sent
 * after the reconnect, in order; one still held after the command timeout fails and is logged
 * (WARN once per outage, with a count when publishing works again) for the channels' topic; a
 * recorded topic's messages are kept and sent again until Redis takes them.
 *
 * <p><b>On a Redis Cluster</b> ({@code redis-cluster://…}) the channels' topic travels over
 * sharded pub/sub instead ({@link ShardedChannels}): each channel's messages go with
 * {@code SPUBLISH} to the shard channel {@code <keyPrefix>ch:{<channel>}:pub}, on the master of the
 * channel's slot, and this node subscribes only to the channels it has readers for
 * ({@link #watchChannel}). The recorded topics' streams are read per stream there.
 *
 * <p>A message that cannot be decoded is skipped (logged at WARN the first time, then DEBUG).
 */
public final class RedisHub implements Hub {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHub.class);

    /** The one topic that travels over plain pub/sub (the runtime's channel topic). */
    public static final String CHANNELS_TOPIC = "halley.channels";

    private final RedisSettings settings;
    private final String prefix;
    private final AbstractRedisClient client;
    private final StatefulRedisPubSubConnection<String, String> subscriber; // null on a cluster
    private final ShardedChannels sharded; // null on a single server or Sentinel
    private final Lettuce.Connection publisher;
    private final Map<String, List<Consumer<HubMessage>>> receivers = new ConcurrentHashMap<>();
    private final java.util.Set<String> lostTopics = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> resubscribeListeners = new CopyOnWriteArrayList<>();
    private final ClassLoader appLoader = Thread.currentThread().getContextClassLoader();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failedPublishes = new AtomicLong();
    private final AtomicBoolean publishFailing = new AtomicBoolean();
    private final TopicStreams streams;
    private final TopicStreamWriter writer;
    private volatile boolean closed;
    private volatile HubMeters meters = new HubMeters(); // the runtime's, once it gives them (recordTo)
    private final AtomicBoolean lostConnection = new AtomicBoolean();

    /**
     * Connects the subscriber and the publisher.
     *
     * @throws RedisUnavailableException when Redis cannot be reached within the command timeout
     */
    public RedisHub(RedisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.prefix = settings.keyPrefix();
        this.client = Lettuce.anyClient(settings, "hub");
        try {
            if (client instanceof RedisClusterClient cc) {
                this.subscriber = null;
                this.sharded = new ShardedChannels(settings, cc, (channel, text) -> decodeAndDispatch(CHANNELS_TOPIC, text),
                        () -> announceResubscribed(CHANNELS_TOPIC));
            } else {
                this.subscriber = ((RedisClient) client).connectPubSub(StringCodec.UTF8);
                this.sharded = null;
            }
            this.publisher = Lettuce.connect(client);
            this.streams = new TopicStreams(settings);
            streams.start(Lettuce.connect(client), this::decodeAndDispatch, this::dispatch);
            this.writer = new TopicStreamWriter(settings, publisher, streams);
        } catch (RedisException e) {
            Lettuce.shutdown(client);
            throw Lettuce.unavailable("connecting the hub", settings, e);
        }
        if (subscriber == null) { // a cluster: any of the client's connections to a master coming back counts once
            client.addListener(new io.lettuce.core.RedisConnectionStateListener() {
                @Override
                public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                    if (!closed) lostConnection.set(true);
                }

                @Override
                public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
                    if (lostConnection.compareAndSet(true, false)) meters.reconnected();
                }
            });
            return;
        }
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                onMessage(channel, message);
            }

            @Override
            public void subscribed(String channel, long count) {
                onSubscribed(channel);
            }
        });
        // after a disconnect Lettuce subscribes again by itself; remember which topics were lost
        // so that their re-subscription can be announced (messages may have been missed)
        subscriber.addListener(new io.lettuce.core.RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                for (String t : receivers.keySet()) if (!recorded(t)) lostTopics.add(t); // recorded ones catch up by themselves
                lostConnection.set(true);
            }

            @Override
            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
                if (lostConnection.compareAndSet(true, false)) meters.reconnected();
            }
        });
    }

    private void onSubscribed(String channel) {
        if (!channel.startsWith(prefix)) return;
        String topic = channel.substring(prefix.length());
        if (!lostTopics.remove(topic)) return;
        LOG.debug("subscribed again to {} after a disconnect", topic);
        announceResubscribed(topic);
    }

    private void announceResubscribed(String topic) {
        for (Consumer<String> l : resubscribeListeners) {
            try {
                l.accept(topic);
            } catch (RuntimeException e) {
                LOG.warn("re-subscribe listener for {} failed", topic, e);
            }
        }
    }

    /** {@inheritDoc} Called on a Lettuce thread once Redis confirmed the topic's subscription again. */
    @Override
    public void onResubscribed(Consumer<String> listener) {
        resubscribeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * {@inheritDoc} The first receiver of a topic on this node subscribes to its Redis channel and
     * waits for Redis to confirm; the last one to close unsubscribes.
     *
     * @throws RedisUnavailableException when Redis does not confirm within the command timeout
     * @throws IllegalStateException     after {@link #close()}
     */
    @Override
    public synchronized AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(receiver, "receiver");
        if (closed) throw new IllegalStateException("RedisHub is closed");
        List<Consumer<HubMessage>> list = receivers.get(topic);
        if (list == null && recorded(topic)) {
            try {
                streams.track(topic, publisher.sync());
            } catch (RedisException e) {
                throw Lettuce.unavailable("subscribing to " + topic, settings, e);
            }
            list = new CopyOnWriteArrayList<>();
            receivers.put(topic, list);
        } else if (list == null && sharded != null) {
            list = new CopyOnWriteArrayList<>(); // channels are subscribed one by one (watchChannel)
            receivers.put(topic, list);
        } else if (list == null) {
            try {
                subscriber.async().subscribe(prefix + topic).get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Lettuce.unavailable("subscribing to " + topic, settings, new RedisException("interrupted"));
            } catch (ExecutionException | TimeoutException e) {
                Throwable c = e.getCause() != null ? e.getCause() : e;
                throw Lettuce.unavailable("subscribing to " + topic, settings, new RedisException(c.toString(), c));
            }
            list = new CopyOnWriteArrayList<>();
            receivers.put(topic, list);
        }
        list.add(receiver);
        List<Consumer<HubMessage>> mine = list;
        return () -> unsubscribe(topic, mine, receiver);
    }

    private synchronized void unsubscribe(String topic, List<Consumer<HubMessage>> list, Consumer<HubMessage> receiver) {
        if (!list.remove(receiver) || !list.isEmpty() || closed) return;
        receivers.remove(topic, list);
        if (recorded(topic)) {
            streams.untrack(topic);
            return;
        }
        if (sharded != null) return;
        subscriber.async().unsubscribe(prefix + topic).whenComplete((r, e) -> {
            if (e != null) LOG.debug("unsubscribing from {} failed", topic, e);
        });
    }

    /**
     * {@inheritDoc} Never blocks; dropped after {@link #close()}.
     *
     * @throws IllegalArgumentException for a null message (see {@link HubCodec})
     */
    @Override
    public void publish(String topic, HubMessage payload) {
        Objects.requireNonNull(topic, "topic");
        if (closed) return;
        String text = HubCodec.encode(payload);
        if (recorded(topic)) writer.append(topic, text);
        else if (sharded != null) sendSharded(payload, text);
        else send(prefix + topic, text);
    }

    /**
     * {@inheritDoc} On a cluster: the first watch of a channel subscribes to its shard channel and
     * waits for Redis to confirm; elsewhere nothing (every node gets every channel message).
     *
     * @throws RedisUnavailableException when Redis does not confirm within the command timeout
     */
    @Override
    public void watchChannel(String channel) {
        Objects.requireNonNull(channel, "channel");
        if (sharded != null && !closed) sharded.watch(channel);
    }

    /** {@inheritDoc} On a cluster the last unwatch unsubscribes from the shard channel; never blocks. */
    @Override
    public void unwatchChannel(String channel) {
        Objects.requireNonNull(channel, "channel");
        if (sharded != null && !closed) sharded.unwatch(channel);
    }

    /** The channels whose shard channel this node subscribes to (empty off a cluster; for tests). */
    public java.util.Set<String> watchedChannels() {
        return sharded == null ? java.util.Set.of() : sharded.watched();
    }

    private void sendSharded(HubMessage payload, String text) {
        String channel;
        if (payload instanceof HubMessage.ChannelPost p) channel = p.channel();
        else if (payload instanceof HubMessage.ChannelBatch b) channel = b.channel();
        else throw new IllegalArgumentException("only channel posts travel on " + CHANNELS_TOPIC + " over a cluster: " + payload);
        whenSent(publisher.async().spublish(sharded.shardChannel(channel), text), channel);
    }

    /** Whether {@code topic} travels through a Redis Stream (every topic but the channels'). */
    static boolean recorded(String topic) {
        return !CHANNELS_TOPIC.equals(topic);
    }

    /** Hub messages of recorded topics not yet in Redis (for tests and monitoring). */
    public int unsentMessages() {
        return writer.waiting();
    }

    private void send(String channel, String text) {
        whenSent(publisher.async().publish(channel, text), channel);
    }

    private void whenSent(java.util.concurrent.CompletionStage<Long> sent, String channel) {
        sent.whenComplete((count, e) -> {
            if (e == null) {
                if (publishFailing.compareAndSet(true, false)) {
                    LOG.info("publishing to Redis at {} works again; {} messages were lost meanwhile",
                            settings.redactedUri(), failedPublishes.getAndSet(0));
                }
            } else if (!closed) {
                failedPublishes.incrementAndGet();
                meters.publishFailed();
                if (publishFailing.compareAndSet(false, true)) {
                    LOG.warn("publishing to Redis at {} failed ({}); GLOBAL pool messages and page commands are lost"
                            + " until it is back, channel messages stay in the history", settings.redactedUri(), e.toString());
                } else {
                    LOG.debug("publish to {} failed", channel, e);
                }
            }
        });
    }

    private void onMessage(String channel, String text) {
        if (!channel.startsWith(prefix)) return;
        decodeAndDispatch(channel.substring(prefix.length()), text);
    }

    private void decodeAndDispatch(String topic, String text) {
        String channel = topic;
        List<Consumer<HubMessage>> list = receivers.get(topic);
        if (list == null || list.isEmpty()) return;
        HubMessage payload;
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(appLoader); // pool messages are rebuilt as the application's classes
        try {
            payload = HubCodec.decode(text);
        } catch (IllegalArgumentException e) {
            if (malformed.incrementAndGet() == 1) {
                LOG.warn("skipping a malformed message on Redis channel {} ({}); later ones are logged at DEBUG", channel, e.getMessage());
            } else {
                LOG.debug("skipping malformed message #{} on {}: {}", malformed.get(), channel, e.getMessage());
            }
            return;
        } finally {
            t.setContextClassLoader(previous);
        }
        dispatch(topic, payload);
    }

    private void dispatch(String topic, HubMessage payload) {
        List<Consumer<HubMessage>> list = receivers.get(topic);
        if (list == null) return;
        String channel = topic;
        for (Consumer<HubMessage> r : list) {
            try {
                r.accept(payload);
            } catch (RuntimeException e) {
                LOG.warn("hub receiver on topic {} failed", channel, e);
            }
        }
    }

    /** {@inheritDoc} Publish failures and the subscriber's reconnects. */
    @Override
    public void recordTo(HubMeters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
        writer.onDropped(meters::publishFailed); // a recorded message is retried until Redis has it, unless dropped
    }

    /**
     * {@inheritDoc} Down at once when a connection is not open (Redis went away, Lettuce is
     * reconnecting); else a {@code PING} on the publishing connection, waited for up to the
     * command timeout or 1 s, whichever is shorter. The detail names no address.
     */
    @Override
    public HubHealth health() {
        if (closed) return HubHealth.down("hub closed");
        boolean subscriberOpen = sharded != null ? sharded.isOpen() : subscriber.isOpen();
        if (!subscriberOpen || !publisher.stateful().isOpen()) return HubHealth.down("Redis unreachable: not connected");
        long waitMs = Math.min(1000, settings.commandTimeout().toMillis());
        try {
            String pong = publisher.async().ping().get(waitMs, TimeUnit.MILLISECONDS);
            return "PONG".equalsIgnoreCase(pong) ? HubHealth.up("Redis reachable") : HubHealth.down("Redis answered PING with something else");
        } catch (TimeoutException e) {
            return HubHealth.down("Redis unreachable: no answer to PING within " + waitMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HubHealth.down("health check interrupted");
        } catch (ExecutionException | RuntimeException e) {
            return HubHealth.down("Redis unreachable: " + (e.getCause() != null ? e.getCause() : e).getClass().getSimpleName());
        }
    }

    /** Messages received that could not be decoded (for monitoring and tests). */
    public long malformedMessages() {
        return malformed.get();
    }

    /** Closes both connections and the hub's threads, waiting at most a few seconds. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            receivers.clear();
        }
        writer.close();
        streams.stop();
        if (sharded != null) sharded.close();
        Lettuce.shutdown(client);
    }
}
