package io.halley.servlet.internal.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The registry of held requests of one servlet (page streams, channel streams, waiting push
 * subscribers): a bounded count (slots are reserved before a request goes async, so the bound
 * holds under races) and the live requests, so that none leaks and all can be ended on shutdown;
 * at the limit, the requests waiting for a slot, served in order as slots free.
 * Thread-safe.
 */
public final class Connections {
    private final Set<Held> streams = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<Waiter> waiters = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int max;
    private volatile boolean stopping; // shutdownAll ran: no slot is granted to a waiter any more
    private static final long LIMIT_PROBE_NANOS = 50_000_000L;
    private final java.util.concurrent.atomic.AtomicLong lastLimitProbe = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - LIMIT_PROBE_NANOS);

    public Connections(int max) {
        this.max = max;
    }

    /** A request waiting for a slot ({@link #enqueue}). */
    public interface Waiter {
        /** The slot is the waiter's now (it must take it or {@link #unreserve} it). On the thread that freed it; must not block. */
        void granted();

        /**
         * The servlet is stopping and no slot will come: end the waiting request now (with 503,
         * so that the client retries elsewhere or later). On the stopping thread; must not block.
         */
        void stopping();
    }

    /** Reserves a slot; false when {@code max} requests are held or others wait for one (no barging). */
    public boolean reserve() {
        if (!waiters.isEmpty()) return false;
        while (true) {
            int n = count.get();
            if (n >= max) return false;
            if (count.compareAndSet(n, n + 1)) return true;
        }
    }

    /** Gives back a reserved slot that no stream took (to the first waiter, if any). */
    public void unreserve() {
        count.decrementAndGet();
        drain();
    }

    /**
     * Queues a request for the next free slot, first come first served (a request that comes
     * later cannot take the slot from it); {@link Waiter#granted} runs once one is its own.
     */
    public void enqueue(Waiter w) {
        waiters.add(w);
        drain(); // after shutdownAll: ends it at once
    }

    /** Takes a waiter out of the queue; false when it was granted a slot meanwhile. */
    public boolean cancel(Waiter w) {
        return waiters.remove(w);
    }

    /** Hands free slots to the waiters in order. */
    private void drain() {
        if (stopping) {
            for (Waiter w; (w = waiters.poll()) != null; ) w.stopping();
            return;
        }
        while (!waiters.isEmpty()) {
            int n = count.get();
            if (n >= max) return;
            if (!count.compareAndSet(n, n + 1)) continue;
            Waiter w = waiters.poll();
            if (w == null) {
                count.decrementAndGet(); // cancelled meanwhile
                continue;
            }
            w.granted();
        }
    }

    /** Registers the request that took a reserved slot. */
    public void add(Held s) {
        streams.add(s);
    }

    /** Releases a request's slot; a no-op the second time. */
    public void remove(Held s) {
        if (streams.remove(s)) {
            count.decrementAndGet();
            drain();
        }
    }

    /** Requests waiting for a slot now. */
    public int waiting() {
        return waiters.size();
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

    /** Tells every held request the time, so that those past their deadline end (the timer thread). */
    public void expire(long nowNanos) {
        for (Held s : streams) s.expireIfDue(nowNanos);
    }

    /**
     * The period of the deadline sweep ({@link #expire}) for timeouts no shorter than
     * {@code shortest}: a 25th of it, between 10 ms and 1 s, so that a request times out at most
     * 4 % (or 10 ms, or 1 s) after its deadline.
     */
    public static long deadlineTickNanos(java.time.Duration shortest) {
        return Math.max(10_000_000L, Math.min(1_000_000_000L, shortest.toNanos() / 25));
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

    /**
     * Asks every held request to end (each completes on its own writer), and ends every request
     * still waiting for a slot ({@link Waiter#stopping}).
     */
    public void shutdownAll() {
        stopping = true; // first: the slots the streams below free must not go to a waiter
        for (Waiter w; (w = waiters.poll()) != null; ) w.stopping();
        List<Held> all = new ArrayList<>(streams);
        for (Held s : all) s.shutdown();
    }
}
