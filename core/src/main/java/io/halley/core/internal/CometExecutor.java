package io.halley.core.internal;

import io.halley.core.ExecutorMode;
import io.halley.core.HalleyException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs comet functions, callbacks and actions: one virtual thread per task on Java 21+ (found by
 * reflection, so the code compiles for 17), else a bounded pool of daemon platform threads with
 * no queue, so that a task either gets a thread at once or is refused with a clear error.
 * Threads are named {@code halley-comet-N}.
 */
public final class CometExecutor {
    private final ExecutorService delegate;
    private final boolean virtual;
    private final int limit;

    public CometExecutor(ExecutorMode mode, int maxPlatformThreads) {
        ThreadFactory vf = mode == ExecutorMode.PLATFORM ? null : virtualThreadFactory();
        if (mode == ExecutorMode.VIRTUAL && vf == null) {
            throw new IllegalStateException("executor VIRTUAL needs Java 21+, this is Java "
                    + Runtime.version().feature() + "; use AUTO or PLATFORM");
        }
        this.limit = maxPlatformThreads;
        if (vf != null) {
            this.virtual = true;
            this.delegate = newThreadPerTask(vf);
        } else {
            this.virtual = false;
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(0, maxPlatformThreads, 30, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), r -> {
                        Thread t = new Thread(r, "halley-comet-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            this.delegate = pool;
        }
    }

    public boolean isVirtual() {
        return virtual;
    }

    /**
     * Starts {@code task} now.
     *
     * @throws HalleyException LIMIT when every platform thread is busy
     */
    public void execute(Runnable task) {
        try {
            delegate.execute(task);
        } catch (RejectedExecutionException e) {
            if (delegate.isShutdown()) {
                throw new HalleyException(HalleyException.Kind.GONE, "the Halley runtime is closed");
            }
            throw new HalleyException(HalleyException.Kind.LIMIT, "comet thread limit reached: all "
                    + limit + " platform threads are busy (raise Halley.builder().maxCometThreads(n),"
                    + " or run on Java 21+ where functions use virtual threads)");
        }
    }

    /** Interrupts running tasks and waits up to {@code millis} for them to end. */
    public boolean shutdown(long millis) throws InterruptedException {
        delegate.shutdownNow();
        return delegate.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory virtualThreadFactory() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            builder = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, "halley-comet-", 1L);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static ExecutorService newThreadPerTask(ThreadFactory f) {
        try {
            Method m = java.util.concurrent.Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
            return (ExecutorService) m.invoke(null, f);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads detected but newThreadPerTaskExecutor missing", e);
        }
    }
}
