package io.halley.core.spi;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node {@link Queue}: an in-memory FIFO drained by one daemon thread named
 * {@code halley-queue}. A worker that throws gets the action again at once, up to three attempts,
 * then the action is logged and dropped. Within one process nothing is lost between take and
 * {@code done}, so {@code done} only counts completions ({@link #completed()}).
 */
public final class InMemoryQueue implements Queue {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryQueue.class);
    private static final int ATTEMPTS = 3;

    private final LinkedBlockingQueue<QueuedAction> items = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong();
    private volatile Thread thread;
    private volatile boolean closed;

    @Override
    public void offer(QueuedAction action) {
        if (closed) throw new IllegalStateException("queue closed");
        items.add(action);
    }

    @Override
    public synchronized void consume(ActionWorker worker) {
        if (thread != null) throw new IllegalStateException("already consuming");
        Thread t = new Thread(() -> drain(worker), "halley-queue");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void drain(ActionWorker worker) {
        while (!closed) {
            QueuedAction a;
            try {
                a = items.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (a == null) continue;
            for (int attempt = 1; attempt <= ATTEMPTS && !closed; attempt++) {
                try {
                    worker.take(a, completed::incrementAndGet);
                    break;
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    if (attempt == ATTEMPTS) LOG.warn("action {} on route {} dropped after {} attempts", a.id(), a.route(), ATTEMPTS, e);
                }
            }
        }
    }

    /** Actions whose processing finished. */
    public long completed() {
        return completed.get();
    }

    /** Actions waiting to be taken. */
    public int size() {
        return items.size();
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
