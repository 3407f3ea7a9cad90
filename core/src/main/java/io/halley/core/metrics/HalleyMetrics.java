package io.halley.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * The meters of one Halley runtime ({@code Halley.metrics()}): live pages, held streams by
 * transport, frames and bytes written, frames replayed, resyncs, slow consumers dropped, the
 * fan-out's queue depth and round time, callbacks and actions run and failed, hub publish failures
 * and reconnects. Every meter is listed by {@link #meters()} with its name, kind, unit,
 * description and tags; {@code docs/metrics.md} tables them. The JMX MBean ({@link #registerMBean})
 * and the Micrometer binder of {@code halley-micrometer} expose this same list, so neither needs
 * anything the list does not say.
 *
 * <p><b>Cost.</b> Recording is a {@link LongAdder} addition (no lock, no allocation); gauges are
 * read only when someone reads them. Nothing is measured per frame beyond an addition.
 *
 * <p><b>Transports.</b> The page transports and the channel script stream ({@code sse},
 * {@code iframe}, {@code poll}, {@code comet}) have their meters from the start; another transport
 * gets its meters the first time it asks ({@link #transport}), and listeners registered with
 * {@link #onNewMeters} hear of them (the Micrometer binder registers them then).
 *
 * <p>Thread-safe. Values count from when the runtime was built; nothing resets them.
 */
public final class HalleyMetrics {
    /** The transports whose meters exist from the start, in this order. */
    public static final List<String> TRANSPORTS = List.of("sse", "iframe", "poll", "comet");
    private static final Pattern TRANSPORT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    private final String nodeId;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Map<String, TransportMeters> transports = new ConcurrentHashMap<>();
    private final List<Consumer<List<Meter>>> listeners = new CopyOnWriteArrayList<>();
    private final HubMeters hub = new HubMeters();
    private final RunMeters callbacks = new RunMeters();
    private final RunMeters actions = new RunMeters();
    private final LongAdder rounds = new LongAdder();
    private final LongAdder roundNanos = new LongAdder();

    /**
     * Built by the runtime (or a test) with the sources of its gauges.
     *
     * @param nodeId           the runtime's node id (names the JMX MBean)
     * @param livePages        pages live on this node now
     * @param fanOutQueueDepth fan-out tasks waiting for a fan-out thread now
     */
    public HalleyMetrics(String nodeId, IntSupplier livePages, IntSupplier fanOutQueueDepth) {
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(livePages, "livePages");
        Objects.requireNonNull(fanOutQueueDepth, "fanOutQueueDepth");
        gauge("halley.pages.live", "pages", "pages live on this node", Map.of(), livePages::getAsInt);
        for (String t : TRANSPORTS) transports.put(t, addTransport(t));
        gauge("halley.fanout.queue.depth", "tasks", "fan-out tasks (channel rounds and slices) waiting for a fan-out thread",
                Map.of(), fanOutQueueDepth::getAsInt);
        meters.add(new Meter("halley.fanout.rounds", Meter.Kind.TIMER, "rounds",
                "channel fan-out rounds (listeners called, every subscribed page's outbox appended) and their time",
                Map.of(), rounds::sum, () -> roundNanos.sum() / 1e9));
        counter("halley.callbacks.run", "calls", "streamed callbacks started", Map.of(), callbacks::runs);
        counter("halley.callbacks.failed", "calls", "streamed callbacks that ended with a fail command", Map.of(), callbacks::failures);
        counter("halley.actions.run", "actions", "server actions this node took from the queue and ran", Map.of(), actions::runs);
        counter("halley.actions.failed", "actions", "server actions that replied with an error (unknown route, handler threw)",
                Map.of(), actions::failures);
        counter("halley.hub.publish.failures", "messages", "hub messages lost on their way to the hub's backend (a channel message while Redis was unreachable, a recorded message dropped from a full queue; recorded ones that are sent again are not counted)",
                Map.of(), hub::publishFailures);
        counter("halley.hub.reconnects", "reconnects", "times the hub's connection to its backend came back", Map.of(), hub::reconnects);
    }

    /** The runtime's node id. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The meters of transport {@code name}, created (with their {@link Meter}s, announced to
     * {@link #onNewMeters} listeners) the first time it is asked for.
     *
     * @throws IllegalArgumentException for a name that is not lower-case letters, digits and '-' (up to 32)
     */
    public TransportMeters transport(String name) {
        TransportMeters t = transports.get(name);
        if (t != null) return t;
        if (name == null || !TRANSPORT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("transport name must be lower-case letters, digits and '-': " + name);
        }
        List<Meter> added = new ArrayList<>();
        synchronized (this) {
            t = transports.get(name);
            if (t != null) return t;
            int before = meters.size();
            t = addTransport(name);
            added.addAll(meters.subList(before, meters.size()));
            transports.put(name, t);
        }
        for (Consumer<List<Meter>> l : listeners) l.accept(List.copyOf(added));
        return t;
    }

    /** The hub's meters (handed to the hub by the runtime). */
    public HubMeters hub() {
        return hub;
    }

    /** Streamed callbacks run and failed. */
    public RunMeters callbacks() {
        return callbacks;
    }

    /** Server actions run and failed (on this node, which took them from the queue). */
    public RunMeters actions() {
        return actions;
    }

    /** Records one fan-out round of {@code nanos} (called by the fan-out, any thread). */
    public void fanOutRound(long nanos) {
        rounds.increment();
        roundNanos.add(nanos);
    }

    /** Every meter, in a stable order (the transports added later at the end). */
    public List<Meter> meters() {
        return List.copyOf(meters);
    }

    /**
     * The meter {@code name} with exactly the tags {@code tags} given as key, value, key, value …,
     * or null.
     */
    public Meter meter(String name, String... tags) {
        if (tags.length % 2 != 0) throw new IllegalArgumentException("tags come as key, value pairs");
        Map<String, String> want = new java.util.HashMap<>();
        for (int i = 0; i < tags.length; i += 2) want.put(tags[i], tags[i + 1]);
        for (Meter m : meters) if (m.name().equals(name) && m.tags().equals(want)) return m;
        return null;
    }

    /**
     * Registers {@code listener}, called with the meters of a transport that appears after now
     * (on the thread that first asked for it; must not block). Close the result to remove it.
     */
    public AutoCloseable onNewMeters(Consumer<List<Meter>> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    /**
     * Registers this runtime's MBean {@code io.halley:type=Halley,name=<nodeId>} on the platform
     * MBean server (the runtime does when it starts, unless its {@code jmx} setting is false);
     * close the result to unregister it. When the name is taken (two runtimes with one node id in
     * one JVM) or JMX refuses, a warning is logged and nothing is registered.
     */
    public AutoCloseable registerMBean() {
        return MetricsMBean.register(this);
    }

    /** The JMX object name {@link #registerMBean()} registers. */
    public javax.management.ObjectName objectName() {
        return MetricsMBean.objectName(nodeId);
    }

    // ---- building ---------------------------------------------------------------------------

    private TransportMeters addTransport(String name) {
        TransportMeters t = new TransportMeters(name);
        Map<String, String> tag = Map.of("transport", name);
        gauge("halley.streams.held", "streams", "requests held open by this transport now", tag, t::heldStreams);
        counter("halley.frames.written", "frames", "frames written to this transport's streams",
                tag, t::framesWritten);
        counter("halley.streams.written", "bytes", "bytes written to this transport's streams (frames, padding, heartbeats)",
                tag, t::bytesWritten);
        counter("halley.frames.replayed", "frames", "frames a resuming stream delivered from the page's replay buffer",
                tag, t::framesReplayed);
        counter("halley.resyncs", "resyncs", "resync commands sent: the client's resume point was no longer buffered",
                tag, t::resyncs);
        counter("halley.slow.consumers.dropped", "streams", "streams ended because their reader did not keep up",
                tag, t::slowConsumersDropped);
        return t;
    }

    private void counter(String name, String unit, String description, Map<String, String> tags, java.util.function.LongSupplier v) {
        meters.add(new Meter(name, Meter.Kind.COUNTER, unit, description, tags, () -> v.getAsLong(), null));
    }

    private void gauge(String name, String unit, String description, Map<String, String> tags, DoubleSupplier v) {
        meters.add(new Meter(name, Meter.Kind.GAUGE, unit, description, tags, v, null));
    }
}
