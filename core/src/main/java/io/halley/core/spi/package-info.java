/**
 * The service provider interface for running Halley on several nodes, for hub, history and queue
 * writers (such as the redis module): a {@link io.halley.core.spi.Hub} carries
 * {@link io.halley.core.spi.HubMessage}s between nodes (a distributed hub encodes them with
 * {@link io.halley.core.spi.HubCodec}), a {@link io.halley.core.spi.ChannelHistory} assigns channel
 * message ids and keeps a catch-up history, a {@link io.halley.core.spi.Queue} carries
 * {@link io.halley.core.spi.QueuedAction}s to whichever node runs them. The in-memory
 * implementations serve a single node and are the defaults.
 *
 * <pre>{@code
 * public final class MyHub implements Hub {
 *     public void publish(String topic, HubMessage message) {
 *         bus.send(topic, HubCodec.encode(message));           // never block
 *     }
 *     public AutoCloseable subscribe(String topic, Consumer<HubMessage> receiver) {
 *         return bus.listen(topic, text -> receiver.accept(HubCodec.decode(text)));
 *     }
 *     public void close() { bus.close(); }
 * }
 * Halley halley = Halley.builder().hub(new MyHub()).build().start();
 * }</pre>
 *
 * <p>Public types: {@link io.halley.core.spi.Hub}, {@link io.halley.core.spi.HubMessage} (and its
 * records), {@link io.halley.core.spi.HubCodec}, {@link io.halley.core.spi.HubHealth} (what
 * {@code Hub.health()} answers), {@link io.halley.core.spi.ChannelHistory},
 * {@link io.halley.core.spi.Queue}, {@link io.halley.core.spi.QueuedAction},
 * {@link io.halley.core.spi.InMemoryHub}, {@link io.halley.core.spi.InMemoryChannelHistory} and
 * {@link io.halley.core.spi.InMemoryQueue}. Application code only passes implementations to
 * {@code Halley.Builder}.
 *
 * <p>A hub that routes channel messages per channel (Redis Cluster's sharded pub/sub) learns which
 * channels have readers on its node from {@link io.halley.core.spi.Hub#watchChannel} and
 * {@link io.halley.core.spi.Hub#unwatchChannel}; the defaults ignore them.
 */
package io.halley.core.spi;
