package io.halley.core;

import io.halley.core.comet.Comet;
import io.halley.core.comet.CometFunction;
import io.halley.core.comet.CometOptions;
import io.halley.core.comet.Member;
import io.halley.core.command.Command;
import io.halley.core.internal.PoolRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running comet function: its {@link Comet} context, its pool mailbox and its life cycle.
 *
 * <p>Life cycle: created and joined to its pool by {@link Page}; {@link #run()} on an executor
 * thread; ends when the function returns, throws, or is cancelled (page died: the thread is
 * interrupted). On any end it flushes what is queued, leaves its pool (dying message, then
 * {@code Leave}) and tells its page. An exception is logged once at WARN; cancellation is quiet.
 */
final class CometTask implements Comet, PoolRegistry.Mailbox, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CometTask.class);

    private final Page.Host host;
    private final Page page;
    private final CometFunction function;
    private final CometOptions options;
    private final PoolRegistry.Key poolKey;
    private final Member member;
    private final LinkedBlockingQueue<Object> mailbox;
    private final List<Command> pending = new ArrayList<>();
    private volatile Thread thread;
    private volatile boolean cancelled;
    private boolean ending; // guarded by this
    private volatile boolean finished;

    CometTask(Page.Host host, Page page, CometFunction function, CometOptions options, PoolRegistry.Key poolKey,
              Member member, int mailboxCapacity) {
        this.host = host;
        this.page = page;
        this.function = function;
        this.options = options;
        this.poolKey = poolKey;
        this.member = member;
        this.mailbox = new LinkedBlockingQueue<>(mailboxCapacity);
    }

    PoolRegistry.Key poolKey() {
        return poolKey;
    }

    CometOptions options() {
        return options;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            if (cancelled) return;
            function.run(this);
        } catch (PageDiedException | InterruptedException e) {
            LOG.debug("comet function {} cancelled", member.id());
        } catch (Throwable t) {
            if (cancelled) {
                LOG.debug("comet function {} failed after cancellation", member.id(), t);
            } else {
                LOG.warn("comet function {} failed; it counts as an exit", member.id(), t);
            }
        } finally {
            Thread.interrupted();
            thread = null;
            end();
        }
    }

    /** Runs the exit path: final flush, pool leave, page bookkeeping. Idempotent. */
    void end() {
        synchronized (this) {
            if (ending) return;
            ending = true;
        }
        try {
            flushPending();
        } catch (RuntimeException e) {
            LOG.warn("final flush of comet function {} failed", member.id(), e);
        } finally {
            host.pools().leave(poolKey, this, options.dyingMessage());
            page.functionEnded(this);
            finished = true;
        }
    }

    /** Asks the function to stop: interrupts its thread. Does not wait. */
    void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    boolean isFinished() {
        return finished;
    }

    @Override
    public Comet add(Command command) {
        synchronized (pending) {
            pending.add(command);
        }
        return this;
    }

    @Override
    public Comet flush() {
        flushPending();
        return this;
    }

    private void flushPending() {
        List<Command> batch;
        synchronized (pending) {
            if (pending.isEmpty()) return;
            batch = new ArrayList<>(pending);
            pending.clear();
        }
        page.flush(batch);
    }

    @Override
    public Object receive() {
        checkAlive();
        try {
            return mailbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw died();
        }
    }

    @Override
    public Object receive(Duration timeout) {
        checkAlive();
        try {
            return mailbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw died();
        }
    }

    @Override
    public void send(Object message) {
        host.pools().send(poolKey, message);
    }

    @Override
    public void sleep(Duration duration) {
        checkAlive();
        try {
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw died();
        }
        checkAlive();
    }

    private void checkAlive() {
        if (!isAlive()) throw died();
    }

    private PageDiedException died() {
        return new PageDiedException(page.isAlive() ? "comet function cancelled" : "page died");
    }

    @Override
    public boolean isAlive() {
        return !cancelled && page.isAlive();
    }

    @Override
    public Page page() {
        return page;
    }

    @Override
    public Member member() {
        return member;
    }

    @Override
    public Halley halley() {
        return host.runtime();
    }

    @Override
    public boolean offer(Object message) {
        return mailbox.offer(message);
    }
}
