package io.halley.core.spi;

import io.halley.core.metrics.HubMeters;
import java.util.function.Consumer;

/**
 * Moves GLOBAL pool traffic, channel messages and page-addressed commands between the nodes of
 * one Halley system. {@link InMemoryHub} (the default) serves a single node; a distributed hub
 * (for example {@code RedisHub}) makes GLOBAL pools and channels span nodes with no change
 * elsewhere.
 *
 * <p><b>Contract.</b> A message published on a topic reaches every receiver subscribed to that
 * topic on every node, this node included, once; messages from one publishing thread arrive in
 * publish order. Receivers are called on a hub thread or the publisher's thread and must not
 * block. What travels is a {@link HubMessage}; a distributed hub encodes it with {@link HubCodec},
 * so the pool messages users send arrive as their own class where the receiving node can load it.
 *
 * <p><b>Loss.</b> A hub that can lose messages on the way (a distributed one, when its server
 * fails) either catches the node up or hands the topic's receivers a {@link HubMessage.TopicGap}
 * once it knows messages were lost: never silence. Receivers must handle it on every topic they
 * subscribe to. Where a topic has its own record to catch up from (the channels' history), the hub
 * may instead call the {@link #onResubscribed} listeners.
 *
 * <p>Implementations are thread-safe.
 */
public interface Hub extends AutoCloseable {

    /** Subscribes {@code receiver} to {@code topic}; close the result to unsubscribe. */
    AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver);

    /** Publishes {@code message} to every subscriber of {@code topic} on every node. Never blocks. */
    void publish(String topic, HubMessage message);

    /**
     * Tells the hub that channel {@code channel} gained its first reader on this node (a page or
     * a server-side listener), before that reader reads the channel's history: a hub that routes
     * channel messages per channel (Redis Cluster's sharded pub/sub) starts delivering the
     * channel's messages here and returns once messages published from then on will arrive, so
     * the history read that follows and the live messages leave no hole between them. May block
     * up to the hub's command timeout; throws (the hub's unchecked exception) when it cannot
     * subscribe, and then the reader is not added. Calls for one channel alternate with
     * {@link #unwatchChannel} as seen by the runtime, but a hub must count them (watch, watch,
     * unwatch leaves the channel watched): a channel leaving and coming back can overlap.
     *
     * <p>The default does nothing: the hub delivers every channel message (topic
     * {@code halley.channels}) to every node, which drops those of channels it has no reader for.
     */
    default void watchChannel(String channel) {
    }

    /**
     * Tells the hub that channel {@code channel} lost its last reader on this node (see
     * {@link #watchChannel}). Never blocks. The default does nothing.
     */
    default void unwatchChannel(String channel) {
    }

    /**
     * Registers {@code listener}, told (with the topic) when the hub subscribed to a topic again
     * after losing its connection: messages published meanwhile may not have reached this node.
     * Called on a hub thread; must not block. The default (a hub that never loses messages, such
     * as the in-memory one) never calls it.
     */
    default void onResubscribed(Consumer<String> listener) {
    }

    /**
     * Whether the hub reaches its backend now, for health checks. May wait a short, bounded time
     * (a distributed hub pings its backend: about a second at most); never throws. The default
     * (a hub in this process) is always up.
     */
    default HubHealth health() {
        return HubHealth.up("in-memory");
    }

    /**
     * Gives the hub the runtime's hub meters, which it records publish failures and reconnects to
     * ({@link HubMeters#publishFailed()}, {@link HubMeters#reconnected()}). Called once by the
     * runtime as it is built, before any publish. The default records nothing (a hub that never fails).
     */
    default void recordTo(HubMeters meters) {
    }

    /** Releases the hub's resources; later publishes are dropped. */
    @Override
    void close();
}
