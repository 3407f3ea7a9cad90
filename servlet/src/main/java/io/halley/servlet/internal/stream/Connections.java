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

    /** Asks every held request to end (each completes on its own writer). */
    public void shutdownAll() {
        List<Held> all = new ArrayList<>(streams);
        for (Held s : all) s.shutdown();
    }
}
