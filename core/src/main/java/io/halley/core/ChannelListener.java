package io.halley.core;

/**
 * A server-side channel listener. Called on one of Halley's fan-out threads ({@code
 * halley-fanout-N}) for each message, in the channel's order, before the round's frames go to the
 * pages; it must not block (the channel's delivery waits for it). It may publish, also on its own
 * channel (that message joins a later round). An exception is logged and does not stop delivery.
 */
@FunctionalInterface
public interface ChannelListener {
    void onMessage(ChannelMessage message);
}
