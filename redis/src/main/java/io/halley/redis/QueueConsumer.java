package io.halley.redis;

import io.halley.core.spi.Queue.ActionWorker;
import io.halley.core.spi.QueuedAction;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XPendingArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.models.stream.PendingMessage;
import io.lettuce.core.StreamMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consuming side of a {@link RedisQueue}: one daemon thread named {@code halley-redis-queue}
 * that, on a connection of its own, reads new entries with a bounded BLOCK, hands them to the
 * worker, renews the entries this node is running (so that nobody takes them over while it is
 * alive) and takes over entries that nobody renewed for a visibility timeout.
 *
 * <p>Every Redis command here runs on the consumer thread; {@link #stop()} interrupts it (which
 * ends a blocked read at once) and waits at most two seconds.
 */
final class QueueConsumer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final int BATCH = 32;

    /** KEYS stream; ARGV group, consumer, ids…: resets the idle time of the ids this consumer still owns. */
    private static final LuaScript RENEW = new LuaScript(String.join("\n",
            "local n = 0",
            "for i = 3, #ARGV do",
            "  if #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2]) > 0 then",
            "    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')",
            "    n = n + 1",
            "  end",
            "end",
            "return n"));

    private final RedisQueue queue;
    private final RedisSettings settings;
    private final Lettuce.Connection connection;
    private final RedisClusterCommands<String, String> redis;
    private final ActionWorker worker;
    private final Consumer<String> me;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final long visibilityMillis;
    private final long blockMillis;
    private final Thread thread;
    private volatile boolean active = true;

    QueueConsumer(RedisQueue queue, RedisSettings settings, Lettuce.Connection connection, ActionWorker worker) {
        this.queue = queue;
        this.settings = settings;
        this.connection = connection;
        this.redis = connection.sync();
        this.worker = worker;
        this.me = Consumer.from(RedisQueue.GROUP, queue.consumerName());
        this.visibilityMillis = settings.visibilityTimeout().toMillis();
        this.blockMillis = Math.max(10, Math.min(1000, Math.min(visibilityMillis / 4, settings.commandTimeout().toMillis() / 2)));
        this.thread = new Thread(this, "halley-redis-queue");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the thread (bounded: about two seconds) and closes the consumer's connection. */
    void stop() {
        active = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) LOG.warn("halley-redis-queue did not stop within 2 s");
        connection.stateful().close();
    }

    @Override
    public void run() {
        long nextReclaim = System.nanoTime(); // at once: pick up what dead nodes left behind
        long nextRenew = nextReclaim + TimeUnit.MILLISECONDS.toNanos(visibilityMillis / 3);
        while (active) {
            try {
                long now = System.nanoTime();
                if (now - nextReclaim >= 0) {
                    reclaim();
                    nextReclaim = now + TimeUnit.MILLISECONDS.toNanos(visibilityMillis / 2);
                }
                if (now - nextRenew >= 0) {
                    renew();
                    nextRenew = now + TimeUnit.MILLISECONDS.toNanos(visibilityMillis / 3);
                }
                @SuppressWarnings("unchecked")
                List<StreamMessage<String, String>> batch = redis.xreadgroup(me,
                        XReadArgs.Builder.block(blockMillis).count(BATCH), XReadArgs.StreamOffset.lastConsumed(queue.stream()));
                for (StreamMessage<String, String> m : batch) hand(m, null);
            } catch (RedisCommandInterruptedException e) {
                if (active && Thread.interrupted()) LOG.debug("queue consumer interrupted while active; going on");
            } catch (RedisCommandExecutionException e) {
                if (!active) break;
                if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                    LOG.warn("the queue's consumer group is gone from {} (Redis lost its data?); creating it again", settings.redactedUri());
                    tryEnsureGroup();
                } else {
                    LOG.warn("queue command refused by {}: {}", settings.redactedUri(), e.getMessage());
                    pause();
                }
            } catch (RedisException e) {
                if (!active) break;
                LOG.debug("queue read failed (Redis unreachable?): {}", e.toString());
                pause();
            } catch (RuntimeException e) {
                if (!active) break;
                LOG.warn("queue consumer error", e);
                pause();
            }
        }
        LOG.debug("halley-redis-queue stopped");
    }

    /** Hands one entry to the worker; {@code takenOver} describes where it came from when reclaimed. */
    private void hand(StreamMessage<String, String> m, String takenOver) {
        String id = m.getId();
        QueuedAction a = RedisQueue.decode(m);
        if (a == null) {
            LOG.warn("dropping queue entry {}: not a queued action", id);
            queue.ack(id, "malformed entry " + id);
            return;
        }
        String what = "action " + a.id() + " (" + a.route() + ")";
        if (takenOver != null) LOG.info("taking over {} from {}", what, takenOver);
        running.add(id);
        AtomicBoolean once = new AtomicBoolean();
        try {
            worker.take(a, () -> {
                if (once.compareAndSet(false, true)) {
                    running.remove(id);
                    queue.ack(id, what);
                }
            });
        } catch (InterruptedException e) {
            running.remove(id);
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            running.remove(id);
            LOG.warn("worker refused {} ({}); it is handed out again after the visibility timeout", what, e.toString());
        }
    }

    /** Resets the idle time of the entries this node is running. */
    private void renew() {
        if (running.isEmpty()) return;
        List<String> args = new ArrayList<>();
        args.add(RedisQueue.GROUP);
        args.add(me.getName());
        args.addAll(running);
        Long owned = RENEW.run(redis, ScriptOutputType.INTEGER, new String[] {queue.stream()}, args.toArray(new String[0]));
        if (owned != null && owned < args.size() - 2) {
            LOG.debug("{} of {} running actions were taken over by other nodes", args.size() - 2 - owned, args.size() - 2);
        }
    }

    /** Takes over entries nobody renewed for a visibility timeout; drops those delivered too often. */
    private void reclaim() {
        List<PendingMessage> idle = redis.xpending(queue.stream(),
                XPendingArgs.Builder.xpending(RedisQueue.GROUP, Range.<String>unbounded(), Limit.from(BATCH)).idle(visibilityMillis));
        List<String> ids = new ArrayList<>();
        StringBuilder from = new StringBuilder();
        for (PendingMessage p : idle) {
            if (p.getRedeliveryCount() >= settings.maxDeliveries()) {
                LOG.warn("dropping queue entry {}: delivered {} times without completing (maxDeliveries), last to {}",
                        p.getId(), p.getRedeliveryCount(), p.getConsumer());
                queue.ack(p.getId(), "entry " + p.getId());
            } else {
                ids.add(p.getId());
                if (from.length() == 0) from.append(p.getConsumer()).append(", idle ").append(p.getMsSinceLastDelivery()).append(" ms");
            }
        }
        if (ids.isEmpty()) return;
        List<StreamMessage<String, String>> claimed = redis.xclaim(queue.stream(), me,
                XClaimArgs.Builder.minIdleTime(visibilityMillis), ids.toArray(new String[0]));
        for (StreamMessage<String, String> m : claimed) hand(m, from.toString());
    }

    private void tryEnsureGroup() {
        try {
            RedisQueue.ensureGroup(redis, queue.stream());
        } catch (RedisException e) {
            LOG.debug("creating the consumer group failed", e);
            pause();
        }
    }

    private void pause() {
        try {
            Thread.sleep(Math.max(settings.reconnectMinDelay().toMillis(), 200));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
