package io.halley.core;

/**
 * A server-side channel listener. Called on the publishing (or hub) thread for each message, in
 * order; it must not block. An exception is logged and does not stop delivery to others.
 */
@FunctionalInterface
public interface ChannelListener {
    void onMessage(ChannelMessage message);
}
