package io.halley.servlet.internal.push;

import com.google.gson.JsonElement;
import io.halley.core.ChannelListener;
import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nginx-push view of one Halley channel: a listener on the channel fills a buffer of the
 * last {@code capacity} messages by id ({@link PushMessage}) and wakes the waiting subscribers.
 * Ids come from the channel history, so order never depends on a clock; messages that overtook
 * each other between two publishing threads are put back in order by id, and a subscriber asking
 * for the message after id {@code n} gets {@code n + 1} from the history when the buffer skips it.
 * Ids at or below {@code floor} belong to a deleted incarnation and are never served.
 *
 * <p>Messages posted to {@code /push/pub} keep their body and content type: the publisher leaves
 * a {@link PushPending} entry that the listener matches. Thread-safe: state under {@code lock};
 * waiters are answered outside it.
 */
public final class PushChannel implements ChannelListener {
    private static final Logger LOG = LoggerFactory.getLogger(PushChannel.class);

    /** What {@link #hold} did with a waiter. */
    enum Hold { HELD, READY, CLOSED }

    final String name;
    final long floor;
    private final Halley halley;
    private final int capacity;
    private final PushPending pending = new PushPending();
    private final Object lock = new Object();
    // guarded by lock
    private final TreeMap<Long, PushMessage> buffer = new TreeMap<>();
    private final List<PushWaiter> waiters = new ArrayList<>();
    private long seenId;
    private boolean closed;
    private AutoCloseable listener;
    private volatile long lastUse = System.nanoTime();

    private PushChannel(Halley halley, String name, long floor, int capacity) {
        this.halley = halley;
        this.name = name;
        this.floor = floor;
        this.capacity = capacity;
        this.seenId = floor;
    }

    /** Starts listening to {@code name} and fills the buffer from the channel's history after {@code floor}. */
    static PushChannel open(Halley halley, String name, long floor, int capacity) {
        PushChannel c = new PushChannel(halley, name, floor, capacity);
        c.listener = halley.listen(name, c);
        long now = now();
        List<ChannelMessage> past = halley.history(name, floor);
        synchronized (c.lock) {
            for (ChannelMessage m : past) { // the listener may have recorded some already, exactly
                if (!c.buffer.containsKey(m.id())) c.record(PushMessage.derived(m.id(), now, m.data()));
            }
        }
        return c;
    }

    @Override
    public void onMessage(ChannelMessage m) {
        List<PushWaiter> wake = new ArrayList<>();
        synchronized (lock) {
            if (closed || m.id() <= floor) return;
            PushPending.Entry p = pending.match(m.data(), m.id());
            long now = now();
            record(p == null ? PushMessage.derived(m.id(), now, m.data()) : new PushMessage(m.id(), now, p.contentType, p.body));
            for (Iterator<PushWaiter> it = waiters.iterator(); it.hasNext(); ) {
                PushWaiter w = it.next();
                if (w.after < m.id()) {
                    it.remove();
                    wake.add(w);
                }
            }
        }
        for (PushWaiter w : wake) w.wake();
    }

    /** Under lock. */
    private void record(PushMessage m) {
        buffer.put(m.id(), m);
        while (buffer.size() > capacity) buffer.pollFirstEntry();
        seenId = Math.max(seenId, m.id());
    }

    /**
     * Publishes {@code data} on the Halley channel, keeping {@code body} and its type for push
     * subscribers.
     *
     * @return the message id, or -1 when it could not be learnt (a distributed hub, no history)
     * @throws io.halley.core.HalleyException TOO_LARGE past {@code maxMessageBytes}
     */
    long publish(JsonElement data, String contentType, byte[] body) {
        PushPending.Entry p = pending.add(Objects.requireNonNull(data, "data"), contentType, body);
        try {
            halley.publish(name, data);
        } catch (RuntimeException e) {
            pending.remove(p);
            throw e;
        }
        if (p.id > 0) return p.id;
        List<ChannelMessage> history = halley.history(name, floor); // the hub has not delivered it yet
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).data().equals(data)) return history.get(i).id();
        }
        return -1;
    }

    /**
     * The first message after id {@code after}, or null when there is none yet.
     *
     * @param exact whether a gap in the buffer after {@code after} is filled from the history
     *              (false serves the oldest buffered message)
     */
    PushMessage next(long after, boolean exact) {
        lastUse = System.nanoTime();
        long from = Math.max(after, floor);
        PushMessage candidate;
        synchronized (lock) {
            Map.Entry<Long, PushMessage> e = buffer.higherEntry(from);
            candidate = e == null ? null : e.getValue();
        }
        if (candidate == null || !exact || candidate.id() == from + 1) return candidate;
        for (ChannelMessage m : halley.history(name, from)) {
            if (m.id() >= candidate.id()) break;
            return PushMessage.derived(m.id(), candidate.time(), m.data());
        }
        return candidate; // a real gap: those messages left the history too
    }

    /** The highest id seen on this channel (at least {@code floor}). */
    long seenId() {
        synchronized (lock) {
            return seenId;
        }
    }

    /** The newest buffered message seen at or before {@code epochSecond}, or {@code floor}. */
    long idAtOrBefore(long epochSecond) {
        synchronized (lock) {
            long id = floor;
            for (PushMessage m : buffer.values()) {
                if (m.time() > epochSecond) break;
                id = m.id();
            }
            return id;
        }
    }

    /** The second message {@code id} was seen, or -1 when it is not buffered. */
    long timeOf(long id) {
        synchronized (lock) {
            PushMessage m = buffer.get(id);
            return m == null ? -1 : m.time();
        }
    }

    /**
     * Holds {@code w} until a message after its position arrives. A waiter of the same session
     * and client key that is still held is replaced: it is answered 409.
     */
    Hold hold(PushWaiter w) {
        PushWaiter replaced = null;
        synchronized (lock) {
            if (closed) return Hold.CLOSED;
            if (buffer.higherKey(Math.max(w.after, floor)) != null) return Hold.READY;
            if (w.key != null) {
                for (Iterator<PushWaiter> it = waiters.iterator(); it.hasNext(); ) {
                    PushWaiter o = it.next();
                    if (w.key.equals(o.key)) {
                        it.remove();
                        replaced = o;
                        break;
                    }
                }
            }
            waiters.add(w);
        }
        if (replaced != null) replaced.conflict();
        lastUse = System.nanoTime();
        return Hold.HELD;
    }

    /** Stops holding {@code w}; false when it was not held. */
    boolean remove(PushWaiter w) {
        synchronized (lock) {
            return waiters.remove(w);
        }
    }

    /** Waiting subscribers now. */
    int waiting() {
        synchronized (lock) {
            return waiters.size();
        }
    }

    /** Buffered messages now. */
    int buffered() {
        synchronized (lock) {
            return buffer.size();
        }
    }

    /** Whether nobody waits and nothing used the channel for {@code idleNanos}. */
    boolean idle(long idleNanos) {
        return waiting() == 0 && System.nanoTime() - lastUse > idleNanos;
    }

    /**
     * Stops listening; the held subscribers are answered 410 when {@code gone}, else with an empty
     * 200 (the servlet stops, or the channel was idle).
     *
     * @return the highest id seen, the floor of a later incarnation
     */
    long close(boolean gone) {
        List<PushWaiter> held;
        AutoCloseable l;
        long seen;
        synchronized (lock) {
            closed = true;
            held = new ArrayList<>(waiters);
            waiters.clear();
            l = listener;
            listener = null;
            seen = seenId;
        }
        if (l != null) {
            try {
                l.close();
            } catch (Exception e) {
                LOG.debug("removing the push listener of {}: {}", name, e.toString());
            }
        }
        for (PushWaiter w : held) {
            if (gone) w.gone();
            else w.shutdown();
        }
        return seen;
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
