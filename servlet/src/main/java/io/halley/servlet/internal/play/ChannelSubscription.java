package io.halley.servlet.internal.play;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.ChannelListener;
import io.halley.core.ChannelMessage;
import io.halley.core.Halley;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscription of a {@link ChannelPublisher}: the channel listener, the bounded buffer, the
 * demand and the single delivering thread (see {@link ChannelPublisher} for the contract).
 *
 * <p><b>States.</b> STARTING (listener registered, history being read: live messages wait in
 * {@code early}) → OPEN → ENDING (overflow or shutdown: listener removed, the buffer drains)
 * → DONE (completed, failed or cancelled). All state is guarded by {@code lock}; the subscriber
 * is called outside it.
 */
public final class ChannelSubscription implements Flow.Subscription, ChannelListener {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelSubscription.class);
    private static final java.util.concurrent.atomic.AtomicInteger LISTENING = new java.util.concurrent.atomic.AtomicInteger();

    private final Halley halley;
    private final String channel;
    private final long since;
    private final int capacity;
    private final Executor executor;
    private final Flow.Subscriber<? super JsonElement> subscriber;
    private final Object lock = new Object();
    // guarded by lock
    private final ArrayDeque<ChannelMessage> buffer = new ArrayDeque<>();
    private final List<ChannelMessage> early = new ArrayList<>();
    private Set<Long> fromHistory = Set.of();
    private boolean catchingUp = true;
    private JsonObject restart; // the channelrestart element, delivered before the buffer
    private long demand;
    private boolean draining;
    private boolean scheduled;
    private boolean ending;
    private boolean done;
    private AutoCloseable listener;

    ChannelSubscription(Halley halley, String channel, long since, int capacity, Executor executor,
                        Flow.Subscriber<? super JsonElement> subscriber) {
        this.halley = halley;
        this.channel = channel;
        this.since = since;
        this.capacity = capacity;
        this.executor = executor;
        this.subscriber = subscriber;
    }

    void start() {
        AutoCloseable l;
        try {
            AutoCloseable registered = halley.listen(channel, this);
            LISTENING.incrementAndGet();
            l = () -> {
                LISTENING.decrementAndGet();
                registered.close();
            };
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        List<ChannelMessage> past;
        JsonObject restarted = null;
        try {
            past = since >= 0 ? halley.history(channel, since) : List.of();
            long newest;
            if (since > 0 && past.isEmpty() && since > (newest = halley.newestId(channel))) {
                // the client's since belongs to an earlier numbering: say so, then from the new start
                LOG.debug("channel stream of {} from {}, past its newest id {}: numbering restarted", channel, since, newest);
                restarted = restartEvent(channel, since, newest);
                past = halley.history(channel, 0);
            }
        } catch (RuntimeException e) {
            close(l);
            fail(e);
            return;
        }
        boolean keep;
        boolean overflow = false;
        synchronized (lock) {
            keep = !done && !ending;
            if (keep) listener = l;
            restart = restarted;
            Set<Long> ids = new HashSet<>();
            for (ChannelMessage m : past) {
                ids.add(m.id());
                overflow |= enqueue(m);
            }
            fromHistory = ids;
            catchingUp = false;
            for (ChannelMessage m : early) if (!fromHistory.contains(m.id())) overflow |= enqueue(m);
            early.clear();
        }
        if (!keep) close(l);
        if (overflow) close(takeListener());
        schedule();
    }

    @Override
    public void onMessage(ChannelMessage m) {
        boolean overflow;
        synchronized (lock) {
            if (done || ending) return;
            if (catchingUp) {
                early.add(m);
                return;
            }
            if (fromHistory.contains(m.id())) return;
            overflow = enqueue(m);
        }
        if (overflow) close(takeListener());
        schedule();
    }

    /** Buffers {@code m}; true when the buffer is full and the stream starts ending. Under lock. */
    private boolean enqueue(ChannelMessage m) {
        if (ending) return false;
        if (buffer.size() >= capacity) {
            LOG.debug("stream of channel {} overflowed at message {} ({} buffered): ending it, the client resumes",
                    channel, m.id(), capacity);
            ending = true;
            halley.metrics().transport("comet").droppedSlowConsumer();
            return true;
        }
        buffer.add(m);
        return false;
    }

    /** Channel listeners registered by channel streams in this JVM now (for leak checks). */
    public static int activeListeners() {
        return LISTENING.get();
    }

    /**
     * The element a stream gets when its {@code since} lies past the channel's newest id, before
     * the messages of the new numbering: {@code {"channel","event":"channelrestart","since","last"}}
     * (the page client's {@code channelrestart} event has the same fields). It has no {@code id}
     * and no {@code data}, which every message has.
     */
    static JsonObject restartEvent(String channel, long since, long last) {
        JsonObject o = new JsonObject();
        o.addProperty("channel", channel);
        o.addProperty("event", "channelrestart");
        o.addProperty("since", since);
        o.addProperty("last", last);
        return o;
    }

    static JsonElement toJson(ChannelMessage m) {
        JsonObject o = new JsonObject();
        o.addProperty("channel", m.channel());
        o.addProperty("id", m.id());
        o.add("data", m.data());
        return o;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            cancel();
            subscriber.onError(new IllegalArgumentException("request must be positive: " + n));
            return;
        }
        synchronized (lock) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        drain();
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            done = true;
            buffer.clear();
            restart = null;
        }
        close(takeListener());
    }

    void end(boolean dropBuffered) {
        synchronized (lock) {
            if (done) return;
            ending = true;
            if (dropBuffered) buffer.clear();
        }
        close(takeListener());
        schedule();
    }

    private void schedule() {
        synchronized (lock) {
            if (draining || scheduled || done || (buffer.isEmpty() && restart == null ? !ending : demand == 0)) return;
            scheduled = true;
        }
        executor(this::drain);
    }

    private void executor(Runnable task) {
        try {
            executor.execute(task);
        } catch (RuntimeException e) { // the response completed meanwhile
            LOG.debug("channel stream of {} cannot run: {}", channel, e.toString());
            cancel();
        }
    }

    private void drain() {
        synchronized (lock) {
            scheduled = false;
            if (draining) return;
            draining = true;
        }
        while (true) {
            JsonElement next;
            synchronized (lock) {
                if (done) {
                    draining = false;
                    return;
                }
                if (demand > 0 && restart != null) {
                    next = restart;
                    restart = null;
                } else {
                    ChannelMessage m = demand > 0 ? buffer.poll() : null;
                    next = m == null ? null : toJson(m);
                }
                if (next != null) {
                    demand--;
                } else if (ending && buffer.isEmpty() && restart == null) {
                    done = true;
                } else {
                    draining = false;
                    return;
                }
            }
            if (next == null) {
                close(takeListener());
                subscriber.onComplete();
                return;
            }
            subscriber.onNext(next);
        }
    }

    private void fail(RuntimeException e) {
        synchronized (lock) {
            done = true;
        }
        LOG.debug("channel stream of {} failed to start: {}", channel, e.toString());
        subscriber.onError(e);
    }

    private AutoCloseable takeListener() {
        synchronized (lock) {
            AutoCloseable l = listener;
            listener = null;
            return l;
        }
    }

    private void close(AutoCloseable l) {
        if (l == null) return;
        try {
            l.close();
        } catch (Exception e) {
            LOG.debug("removing the listener of channel {}: {}", channel, e.toString());
        }
    }
}
