package io.halley.servlet.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A few daemon threads for one kind of a servlet's I/O jobs: {@code halley-servlet-io}, on which
 * its {@link HeldWriter}s run their dispatched iterations (the writes that application threads and
 * the timer ask for), and {@code halley-servlet-ws-close}, on which its WebSockets are closed
 * (a container may block a close: Tomcat waits for a send in flight). Not
 * the response's {@code AsyncContext#start}: a job queued there when the container then
 * completes the request itself (after a reset connection's error) fails inside the container,
 * which logs a WARN with a stack trace for what is an expected disconnect (Jetty 12: "Job failed",
 * "AsyncContext completed"). Writes here are non-blocking, so a few threads serve every stream.
 * Threads start on demand and end after 10 s idle. {@link #execute} throws
 * {@link java.util.concurrent.RejectedExecutionException} after {@link #close()}, which drops the
 * jobs still queued (the writers' iterations) or runs them for 1 s at most (the closes). Thread-safe.
 */
public final class WriterThreads implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final boolean runQueuedOnClose;

    /** The {@code halley-servlet-io} threads. */
    public WriterThreads() {
        this("halley-servlet-io", false);
    }

    /**
     * Threads named {@code name}: two to four, by the processors there are.
     *
     * @param runQueuedOnClose whether {@link #close()} runs the jobs still queued (1 s at most)
     */
    public WriterThreads(String name, boolean runQueuedOnClose) {
        this.runQueuedOnClose = runQueuedOnClose;
        int n = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        pool = new ThreadPoolExecutor(n, n, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
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

    /**
     * Takes no more jobs, drops the queued ones (or lets them run for 1 s at most), then stops the
     * threads and waits (1 s at most) until they are gone, so containers see no leak.
     */
    @Override
    public void close() {
        if (runQueuedOnClose) pool.shutdown();
        else pool.shutdownNow();
        try {
            if (!pool.awaitTermination(1, TimeUnit.SECONDS)) pool.shutdownNow();
            for (Thread t : threads) t.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
