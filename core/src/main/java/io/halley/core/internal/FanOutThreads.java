package io.halley.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads that deliver channel messages to pages ({@code halley-fanout-N}): a fixed number of
 * daemon platform threads, {@code fanOutThreads} of them (one per core by default), so that a
 * publisher never runs a fan-out to thousands of pages on its own thread and a large fan-out is
 * spread over the cores. Tasks do not block: they call channel listeners (which must not block),
 * append to outboxes (a short lock) and write to sockets with non-blocking I/O.
 *
 * <p>{@link #execute} may be called from any thread; after {@link #close()} it throws
 * {@link RejectedExecutionException}.
 */
public final class FanOutThreads implements Executor, AutoCloseable {
    /** The fewest pages one fan-out slice delivers to: a smaller fan-out runs as one slice. */
    public static final int MIN_SLICE = 512;
    private final ThreadPoolExecutor pool;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final int size;

    public FanOutThreads(int size, String nodeId) {
        if (size < 1) throw new IllegalArgumentException("fanOutThreads must be >= 1: " + size);
        this.size = size;
        this.pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "halley-fanout-" + threads.size() + "-" + nodeId);
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
    }

    private volatile io.halley.core.metrics.HalleyMetrics metrics;

    /** Gives the runtime's meters, which {@link #roundDone} records each round's time to. */
    public void recordRoundsTo(io.halley.core.metrics.HalleyMetrics metrics) {
        this.metrics = metrics;
    }

    /** A channel's round that started at {@code startNanos} ({@link System#nanoTime()}) ended. Any thread. */
    void roundDone(long startNanos) {
        io.halley.core.metrics.HalleyMetrics m = metrics;
        if (m != null) m.fanOutRound(System.nanoTime() - startNanos);
    }

    /** Tasks waiting for a fan-out thread now. */
    public int queued() {
        return pool.getQueue().size();
    }

    /** How many threads deliver (the number of slices a large fan-out is cut into). */
    int size() {
        return size;
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Stops taking tasks, lets queued ones finish for up to 2 s, and joins the threads. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(2, TimeUnit.SECONDS)) pool.shutdownNow();
            for (Thread t : threads) t.join(2000);
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
