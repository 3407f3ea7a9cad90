package io.halley.servlet.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The few daemon threads {@code halley-servlet-io} on which a servlet's {@link HeldWriter}s run
 * their dispatched iterations (the writes that application threads and the timer ask for). Not
 * the response's {@code AsyncContext#start}: a job queued there when the container then
 * completes the request itself (after a reset connection's error) fails inside the container,
 * which logs a WARN with a stack trace for what is an expected disconnect (Jetty 12: "Job failed",
 * "AsyncContext completed"). Writes here are non-blocking, so a few threads serve every stream.
 * Threads start on demand and end after 10 s idle. {@link #execute} throws
 * {@link java.util.concurrent.RejectedExecutionException} after {@link #close()}. Thread-safe.
 */
public final class WriterThreads implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    public WriterThreads() {
        int n = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        pool = new ThreadPoolExecutor(n, n, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "halley-servlet-io");
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Stops the threads and waits (1 s at most) until they are gone, so containers see no leak. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(1, TimeUnit.SECONDS);
            for (Thread t : threads) t.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
