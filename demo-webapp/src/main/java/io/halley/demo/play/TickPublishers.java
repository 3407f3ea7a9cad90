package io.halley.demo.play;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ticking {@link Flow.Publisher}s for the Play demo: every subscriber gets its own ticks,
 * {@code "tick N at HH:mm:ss"}, one per period, from its first request on.
 *
 * <p><b>Demand.</b> A tick is delivered only when the subscriber has requested one; a tick that
 * finds no demand (a reader that fell behind) is dropped and counted, never queued, so a slow
 * browser costs nothing here. The numbering goes on, so the reader sees the gap.
 *
 * <p><b>Signals.</b> {@code onSubscribe} is called before {@code subscribe} returns; every later
 * signal comes from the one scheduler thread ({@code demo-ticks}), so they are serial. A
 * subscriber that cancels (the browser went away) stops its ticking; {@link #close()} completes
 * every open stream. Thread-safe.
 */
public final class TickPublishers implements AutoCloseable {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Duration period;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-ticks");
        t.setDaemon(true);
        return t;
    });
    private final Set<Ticking> open = ConcurrentHashMap.newKeySet();

    public TickPublishers() {
        this(Duration.ofSeconds(1));
    }

    public TickPublishers(Duration period) {
        this.period = period;
    }

    /** A cold publisher: each subscriber gets its own ticks from 1. */
    Flow.Publisher<String> ticks() {
        return subscriber -> new Ticking(subscriber).start();
    }

    /** Streams open now (for tests and monitoring). */
    public int openStreams() {
        return open.size();
    }

    /** Completes every open stream and stops the thread (waiting 1 s at most). */
    @Override
    public void close() {
        for (Ticking t : open) timer.execute(t::complete);
        timer.shutdown();
        try {
            if (!timer.awaitTermination(1, TimeUnit.SECONDS)) timer.shutdownNow();
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** One subscription: its demand, its schedule, its tick count. */
    private final class Ticking implements Flow.Subscription {
        private final Flow.Subscriber<? super String> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicBoolean started = new AtomicBoolean();
        private final AtomicBoolean done = new AtomicBoolean();
        private long ticks; // timer thread only
        private long dropped; // timer thread only
        private volatile ScheduledFuture<?> schedule;

        Ticking(Flow.Subscriber<? super String> subscriber) {
            this.subscriber = subscriber;
        }

        void start() {
            open.add(this);
            subscriber.onSubscribe(this);
        }

        /** Starts the ticking, at the first request. */
        private void schedule() {
            try {
                schedule = timer.scheduleAtFixedRate(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
                if (done.get()) schedule.cancel(false); // cancelled meanwhile
            } catch (RejectedExecutionException e) { // closed meanwhile
                if (end()) subscriber.onComplete();
            }
        }

        private void tick() {
            if (done.get()) return;
            ticks++;
            if (demand.getAndUpdate(d -> d > 0 ? d - 1 : 0) == 0) {
                dropped++;
                return;
            }
            subscriber.onNext("tick " + ticks + " at " + LocalTime.now().format(TIME)
                    + (dropped == 0 ? "" : " (" + dropped + " dropped)"));
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                if (end()) timer.execute(() -> subscriber.onError(new IllegalArgumentException("request(" + n + "): must be > 0")));
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b); // saturating
            if (!done.get() && started.compareAndSet(false, true)) schedule();
        }

        @Override
        public void cancel() {
            end();
        }

        void complete() {
            if (end()) subscriber.onComplete();
        }

        /** Stops ticking; true the first time. */
        private boolean end() {
            if (!done.compareAndSet(false, true)) return false;
            open.remove(this);
            ScheduledFuture<?> s = schedule;
            if (s != null) s.cancel(false);
            return true;
        }
    }
}
