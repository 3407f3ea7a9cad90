package io.halley.redis;

import io.halley.core.spi.HubCodec;
import io.halley.core.spi.HubMessage;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing side of the hub's recorded topics ({@link TopicStreams}): appends each message to
 * its topic's Redis Stream, in publish order, exactly once, whatever Redis does meanwhile.
 *
 * <p><b>How.</b> Every message gets a number per topic from this writer ({@code pseq}, 1, 2, 3 …),
 * and one Lua script appends it only if it is the next one Redis has from this writer (the last
 * number is kept under a key of this writer's random id, with a one-day expiry). So a message whose
 * command timed out but ran anyway (Redis paused) is not appended twice when it is sent again, and
 * a message sent after one that did not run is refused until the missing one is in. One daemon
 * thread ({@code halley-hub-writer}) sends batches of up to {@link #BATCH} pipelined scripts and
 * waits for them; on a failure it waits the reconnect backoff and sends again from the first
 * message not in, for as long as the hub is open. Messages wait in a bounded queue
 * ({@link Lettuce#MAX_HELD_COMMANDS}); one published while it is full is dropped, counted, and
 * once Redis takes messages again a {@link HubMessage.TopicGap} with the count is appended to its
 * topic, so every node's receivers learn of the loss.
 *
 * <p>{@link #append} never blocks. Thread-safe.
 */
final class TopicStreamWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicStreamWriter.class);
    static final int BATCH = 256;
    private static final String WRITER_KEY_TTL_SECONDS = "86400";

    /**
     * KEYS seq, log, writer; ARGV message, max length, pseq, writer key ttl, force ('1': append
     * even if earlier ones are missing), writer id. Returns the topic number n (> 0) when appended, 0 for a
     * duplicate, -1 when an earlier message is missing.
     *
     * <p>A writer Redis knows nothing of yet takes only its number 1 unless forced: the scripts of
     * one batch are pipelined, and when the head falls back from EVALSHA to EVAL (Redis did not
     * know the script) while another node's EVAL taught Redis the script meanwhile, the head's
     * followers run first. Taking number 2 then would have made number 1 look like a duplicate,
     * lost without a trace; refused, it is sent again after number 1. After Redis lost the writer
     * key (restarted empty) the refused head is sent again forced.
     */
    static final LuaScript APPEND = new LuaScript(String.join("\n",
            "local p = tonumber(ARGV[3])",
            "local last = redis.call('GET', KEYS[3])",
            "if last then",
            "  last = tonumber(last)",
            "  if p <= last then return 0 end",
            "  if p > last + 1 and ARGV[5] ~= '1' then return -1 end",
            "elseif p > 1 and ARGV[5] ~= '1' then",
            "  return -1",
            "end",
            "redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4])",
            "local n = redis.call('INCR', KEYS[1])",
            "redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'n', n, 'w', ARGV[6], 'p', ARGV[3], 'm', ARGV[1])",
            "return n"));

    private record Pending(String topic, long pseq, String text) {
    }

    private final RedisSettings settings;
    private final Lettuce.Connection connection;
    private final TopicStreams keys;
    private final String writerId = UUID.randomUUID().toString();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final Map<String, Long> numbers = new HashMap<>();
    private final Map<String, Long> dropped = new HashMap<>();
    private final Thread thread;
    private boolean closed;
    private long failing; // failed attempts in a row (writer thread only)
    private boolean forceHead; // Redis lost messages this writer had seen go in: append the head anyway
    private volatile Runnable onDropped = () -> { }; // the hub's publish-failure meter

    TopicStreamWriter(RedisSettings settings, Lettuce.Connection connection, TopicStreams keys) {
        this.settings = settings;
        this.connection = connection;
        this.keys = keys;
        this.thread = new Thread(this, "halley-hub-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code r} for every message dropped because the queue was full (the hub's meter). */
    void onDropped(Runnable r) {
        onDropped = r;
    }

    /** Queues {@code text} for {@code topic}; never blocks. Dropped (and counted) when the queue is full. */
    synchronized void append(String topic, String text) {
        if (closed) return;
        if (queue.size() >= Lettuce.MAX_HELD_COMMANDS) {
            onDropped.run();
            if (dropped.merge(topic, 1L, Long::sum) == 1) {
                LOG.warn("{} hub messages wait for Redis at {}: dropping new ones on {}; its receivers will get a gap",
                        queue.size(), settings.redactedUri(), topic);
            }
            return;
        }
        queue.addLast(new Pending(topic, numbers.merge(topic, 1L, Long::sum), text));
        notifyAll();
    }

    /** Messages not yet in Redis (for tests and monitoring). */
    synchronized int waiting() {
        return queue.size();
    }

    @Override
    public void run() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (true) {
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        if (closed) return;
                    }
                }
                if (closed) return;
                addGapMarkers();
                batch.clear();
                for (Pending p : queue) {
                    batch.add(p);
                    if (batch.size() == BATCH) break;
                }
            }
            int done = send(batch);
            synchronized (this) {
                for (int i = 0; i < done; i++) queue.pollFirst();
            }
            if (done < batch.size() && !backOff()) return;
        }
    }

    /** Turns the dropped counts into gap markers, queued after the messages already waiting. */
    private void addGapMarkers() {
        if (dropped.isEmpty()) return;
        for (Map.Entry<String, Long> e : dropped.entrySet()) {
            String text = HubCodec.encode(new HubMessage.TopicGap(e.getKey(), e.getValue()));
            // numbered after every queued message of the topic: renumber those behind it
            queue.addLast(new Pending(e.getKey(), numbers.merge(e.getKey(), 1L, Long::sum), text));
        }
        dropped.clear();
    }

    /** Sends {@code batch} pipelined; returns how many from its start are in Redis (appended or duplicates). */
    private int send(List<Pending> batch) {
        List<CompletableFuture<Long>> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Pending p = batch.get(i);
            String[] k = {keys.seqKey(p.topic()), keys.logKey(p.topic()), keys.writerKey(p.topic(), writerId)};
            results.add(APPEND.runAsync(connection.async(), ScriptOutputType.INTEGER, k, p.text(),
                    Integer.toString(settings.hubStreamLength()), Long.toString(p.pseq()), WRITER_KEY_TTL_SECONDS, i == 0 && forceHead ? "1" : "0", writerId));
        }
        forceHead = false;
        long waitMillis = settings.commandTimeout().toMillis() + 1000;
        for (int i = 0; i < results.size(); i++) {
            try {
                Long r = results.get(i).get(waitMillis, TimeUnit.MILLISECONDS);
                if (r == null || r < 0) {
                    // at the head, the missing ones were confirmed in before: Redis lost them (restarted
                    // from an older snapshot). Readers see the numbering go back and report a gap.
                    if (i == 0) forceHead = true;
                    return failed(i, "an earlier message is not in Redis");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return i;
            } catch (Exception e) {
                return failed(i, e.toString());
            }
        }
        if (failing > 0) {
            LOG.info("hub messages reach Redis at {} again after {} failed attempts; none was lost", settings.redactedUri(), failing);
            failing = 0;
        }
        return batch.size();
    }

    private int failed(int index, String why) {
        if (failing++ == 0 && !isClosed()) {
            LOG.warn("appending hub messages to Redis at {} failed ({}); they are kept and sent again in order",
                    settings.redactedUri(), why);
        }
        return index;
    }

    /** Waits the backoff before the next attempt; false when closed meanwhile. */
    private boolean backOff() {
        long min = settings.reconnectMinDelay().toMillis();
        long max = settings.reconnectMaxDelay().toMillis();
        long delay = Math.min(max, min << Math.min(20, Math.max(0, failing - 1)));
        synchronized (this) {
            long end = System.currentTimeMillis() + delay;
            while (!closed) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) return true;
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    return !closed;
                }
            }
            return false;
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Stops the thread (waiting at most two seconds); what is still queued is dropped. */
    void close() {
        int left;
        synchronized (this) {
            closed = true;
            left = queue.size();
            queue.clear();
            notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (left > 0) LOG.warn("hub closed with {} messages not yet in Redis; they are dropped", left);
    }
}
