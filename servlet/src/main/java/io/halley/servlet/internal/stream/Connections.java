package io.halley.servlet.internal.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry of held requests of one servlet (page streams, channel streams, waiting push
 * subscribers): a bounded count (slots are reserved before a request goes async, so the bound
 * holds under races) and the live requests, so that none leaks and all can be ended on shutdown.
 * Thread-safe.
 */
public final class Connections {
    private final Set<Held> streams = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;
    private static final long LIMIT_PROBE_NANOS = 50_000_000L;
    private final java.util.concurrent.atomic.AtomicLong lastLimitProbe = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - LIMIT_PROBE_NANOS);

    public Connections(int max) {
        this.max = max;
    }

    /** Reserves a slot; false when {@code max} requests are held. */
    public boolean reserve() {
        while (true) {
            int n = count.get();
            if (n >= max) return false;
            if (count.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives back a reserved slot that no stream took. */
    public void unreserve() {
        count.decrementAndGet();
    }

    /** Registers the request that took a reserved slot. */
    public void add(Held s) {
        streams.add(s);
    }

    /** Releases a request's slot; a no-op the second time. */
    public void remove(Held s) {
        if (streams.remove(s)) count.decrementAndGet();
    }

    /** Held requests now (reserved slots included). */
    public int count() {
        return count.get();
    }

    /** Tells every held request that a heartbeat period passed (the timer thread). */
    public void heartbeat(long periodNanos) {
        for (Held s : streams) s.heartbeatDue(periodNanos);
    }

    /** Tells every held request that a probe is due when it was quiet for {@code quietNanos} (the timer thread). */
    public void probe(long quietNanos) {
        for (Held s : streams) s.probeDue(quietNanos);
    }

    /**
     * At the limit: probes every held request quiet for 50 ms (at most once per 50 ms), so that
     * reset connections among them fail and free their slots. Any thread; never blocks.
     *
     * @return true when a probe was started now
     */
    public boolean probeAtLimit() {
        long now = System.nanoTime();
        long last = lastLimitProbe.get();
        if (now - last < LIMIT_PROBE_NANOS || !lastLimitProbe.compareAndSet(last, now)) return false;
        probe(LIMIT_PROBE_NANOS);
        return true;
    }

    /** Asks every held request to end (each completes on its own writer). */
    public void shutdownAll() {
        List<Held> all = new ArrayList<>(streams);
        for (Held s : all) s.shutdown();
    }
}
