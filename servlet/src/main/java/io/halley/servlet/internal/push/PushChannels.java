package io.halley.servlet.internal.push;

import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The push channels of one servlet: created on first use by a subscriber or the publisher,
 * dropped after {@value #IDLE_MINUTES} minutes without a waiting subscriber or a request (they
 * are rebuilt from the channel history when used again), at most {@value #MAX_CHANNELS} at once
 * (past it 429).
 *
 * <p><b>Deletion.</b> {@code DELETE /push/pub} closes a channel: its waiting subscribers get
 * 410, and for the runtime's {@code goneMemory} (default 10 min) subscribers get 410 too, until
 * the publisher posts to it again. The messages it had are never served again (its highest id
 * becomes the floor of the next incarnation; up to {@value #MAX_TOMBSTONES} floors are kept). The
 * Halley channel itself and its history are untouched. Thread-safe.
 */
public final class PushChannels {
    static final int MAX_CHANNELS = 10_000;
    static final int IDLE_MINUTES = 10;
    private static final int MAX_TOMBSTONES = 10_000;

    private record Tombstone(long floor, long goneUntilNanos) {
    }

    private final Halley halley;
    private final int capacity;
    private final long goneNanos;
    private final Map<String, PushChannel> live = new ConcurrentHashMap<>();
    private final Map<String, Tombstone> tombstones = new LinkedHashMap<>(); // guarded by itself

    public PushChannels(Halley halley, int capacity) {
        this.halley = halley;
        this.capacity = capacity;
        this.goneNanos = halley.config().goneMemory().toNanos();
    }

    /**
     * The channel a subscriber reads.
     *
     * @throws HalleyException GONE after a recent deletion, LIMIT past {@value #MAX_CHANNELS} channels
     */
    PushChannel forSubscriber(String name) {
        PushChannel c = live.get(name);
        if (c != null) return c;
        Tombstone t = tombstone(name);
        if (t != null && System.nanoTime() - t.goneUntilNanos < 0) {
            throw new HalleyException(HalleyException.Kind.GONE, "channel '" + name + "' was deleted");
        }
        return open(name, t == null ? 0 : t.floor());
    }

    /** The channel the publisher posts to; revives a deleted one (its old messages stay hidden). */
    PushChannel forPublisher(String name) {
        PushChannel c = live.get(name);
        if (c != null) return c;
        Tombstone t;
        synchronized (tombstones) {
            t = tombstones.get(name);
            if (t != null) tombstones.put(name, new Tombstone(t.floor(), System.nanoTime()));
        }
        return open(name, t == null ? 0 : t.floor());
    }

    /** The live channel {@code name}, or null. */
    PushChannel existing(String name) {
        return live.get(name);
    }

    /** Whether {@code name} was deleted recently (subscribers get 410). */
    boolean isGone(String name) {
        Tombstone t = tombstone(name);
        return t != null && System.nanoTime() - t.goneUntilNanos < 0;
    }

    /** Deletes {@code name}: held subscribers get 410, later ones too for {@code goneMemory}. */
    void delete(String name) {
        PushChannel c = live.remove(name);
        long floor;
        if (c != null) {
            floor = c.close(true);
        } else {
            List<ChannelMessage> h = halley.history(name, 0);
            Tombstone old = tombstone(name);
            floor = Math.max(old == null ? 0 : old.floor(), h.isEmpty() ? 0 : h.get(h.size() - 1).id());
        }
        synchronized (tombstones) {
            tombstones.remove(name);
            tombstones.put(name, new Tombstone(floor, System.nanoTime() + goneNanos));
            while (tombstones.size() > MAX_TOMBSTONES) tombstones.remove(tombstones.keySet().iterator().next());
        }
    }

    /** Drops idle channels. Called by the servlet's timer. */
    public void sweep() {
        long idle = TimeUnit.MINUTES.toNanos(IDLE_MINUTES);
        for (Map.Entry<String, PushChannel> e : new ArrayList<>(live.entrySet())) {
            if (e.getValue().idle(idle) && live.remove(e.getKey(), e.getValue())) e.getValue().close(false);
        }
    }

    /** Live channels now (for tests and monitoring). */
    int size() {
        return live.size();
    }

    /** Stops every channel's listener; held subscribers get an empty 200. */
    public void closeAll() {
        for (PushChannel c : new ArrayList<>(live.values())) {
            if (live.remove(c.name, c)) c.close(false);
        }
    }

    private PushChannel open(String name, long floor) {
        if (live.size() >= MAX_CHANNELS) {
            sweep();
            if (live.size() >= MAX_CHANNELS) {
                throw new HalleyException(HalleyException.Kind.LIMIT, "too many push channels (" + MAX_CHANNELS + ")");
            }
        }
        return live.computeIfAbsent(name, n -> PushChannel.open(halley, n, floor, capacity));
    }

    private Tombstone tombstone(String name) {
        synchronized (tombstones) {
            return tombstones.get(name);
        }
    }
}
