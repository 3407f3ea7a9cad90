package io.halley.redis;

import io.halley.core.spi.HubMessage;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading side of the hub's recorded topics: every topic but the channels' (which have their
 * own history) is a Redis Stream, {@code <prefix>hub:{<topic>}:log}, whose entries carry the
 * encoded message ({@code m}) and its number in the topic ({@code n}, from the counter
 * {@code <prefix>hub:{<topic>}:seq}, given by the {@link TopicStreamWriter}'s script). The braces
 * are a Redis Cluster hash tag: a topic's keys share one slot.
 *
 * <p><b>Reading.</b> One daemon thread ({@code halley-hub-reader}) on a connection of its own
 * reads every subscribed stream with {@code XREAD BLOCK} from the last entry id it delivered, so a
 * reconnect, a pause or a slow read never skips an entry and never delivers one twice (ids only go
 * up); each entry also names its writer and the writer's number ({@code w}, {@code p}), so one a
 * writer sent again into a Redis that had lost it is not delivered twice either. Entries are
 * numbered without holes, so a hole is a loss: when an entry's number is not the
 * last one plus one (Redis trimmed entries before this node read them, or lost its data and
 * numbers again from 1), and when after a failure the counter is found below what this node
 * delivered (the data was lost), the topic's receivers get a {@link HubMessage.TopicGap} first.
 *
 * <p><b>On a Redis Cluster</b> one XREAD cannot name keys of several slots, and blocking reads on
 * one node would queue behind each other, so the reader asks every stream without blocking, all
 * at once (each on its slot's master), and pauses {@link #CLUSTER_POLL_MILLIS} when none had
 * anything: a recorded message waits that much more at most.
 *
 * <p>{@link #track} blocks up to the command timeout (it reads where the topic stands); receivers
 * run on the reader thread and must not block.
 */
final class TopicStreams implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicStreams.class);
    private static final int READ_COUNT = 500;
    /** On a cluster: the pause between rounds of non-blocking reads that found nothing. */
    static final long CLUSTER_POLL_MILLIS = 20;
    /** Writers remembered per topic for de-duplication (each hub instance is one writer). */
    static final int MAX_WRITERS = 1024;

    /**
     * KEYS seq, log. Returns {last entry id or '0-0', counter or '0', the first entry's number or
     * '0' when the stream is empty}.
     */
    private static final LuaScript POSITION = new LuaScript(String.join("\n",
            "local e = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)",
            "local n = redis.call('GET', KEYS[1]) or '0'",
            "if not e[1] then return {'0-0', n, '0'} end",
            "local f = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)",
            "local first = '0'",
            "for i = 1, #f[1][2], 2 do if f[1][2][i] == 'n' then first = f[1][2][i + 1] end end",
            "return {e[1][1], n, first}"));

    /** Where this node stands in one topic. Reader thread only, once tracked. */
    private static final class Cursor {
        final String topic;
        volatile String lastId;
        volatile long lastN;
        /** The last writer number delivered per writer: drops a message a writer sent again into an emptied Redis. */
        final Map<String, Long> lastByWriter = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > MAX_WRITERS;
            }
        };

        Cursor(String topic, String lastId, long lastN) {
            this.topic = topic;
            this.lastId = lastId;
            this.lastN = lastN;
        }
    }

    private final RedisSettings settings;
    private final String prefix;
    private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
    private final AtomicBoolean verify = new AtomicBoolean();
    private final long blockMillis;
    private Lettuce.Connection connection;
    private RedisClusterCommands<String, String> redis;
    private BiConsumer<String, String> onEntry;
    private BiConsumer<String, HubMessage.TopicGap> onGap;
    private Thread thread;
    private volatile boolean active = true;

    TopicStreams(RedisSettings settings) {
        this.settings = settings;
        this.prefix = settings.keyPrefix();
        this.blockMillis = Math.max(10, Math.min(1000, settings.commandTimeout().toMillis() / 2));
    }

    String seqKey(String topic) {
        return prefix + "hub:{" + topic + "}:seq";
    }

    String logKey(String topic) {
        return prefix + "hub:{" + topic + "}:log";
    }

    String writerKey(String topic, String writerId) {
        return prefix + "hub:{" + topic + "}:writer:" + writerId;
    }

    /**
     * Starts the reader on {@code connection} (its own): {@code onEntry} gets (topic, encoded
     * message), {@code onGap} (topic, gap), both on the reader thread.
     */
    void start(Lettuce.Connection connection, BiConsumer<String, String> onEntry,
               BiConsumer<String, HubMessage.TopicGap> onGap) {
        this.connection = connection;
        this.redis = connection.sync();
        this.onEntry = onEntry;
        this.onGap = onGap;
        connection.stateful().addListener(new io.lettuce.core.RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(io.lettuce.core.RedisChannelHandler<?, ?> c, java.net.SocketAddress a) {
                verify.set(true); // Redis may have restarted empty meanwhile
            }
        });
        this.thread = new Thread(this, "halley-hub-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts reading {@code topic} from where it stands now (messages appended after this returns
     * are delivered), using {@code commands} (not the reader's connection, which may be blocked).
     *
     * @throws RedisException when Redis cannot answer within the command timeout
     */
    void track(String topic, RedisClusterCommands<String, String> commands) {
        if (cursors.containsKey(topic)) return;
        List<Object> pos = POSITION.run(commands, ScriptOutputType.MULTI, new String[] {seqKey(topic), logKey(topic)});
        cursors.putIfAbsent(topic, new Cursor(topic, (String) pos.get(0), Long.parseLong((String) pos.get(1))));
    }

    /** Stops reading {@code topic}. */
    void untrack(String topic) {
        cursors.remove(topic);
    }

    @Override
    public void run() {
        int failures = 0;
        while (active) {
            List<Cursor> now = new ArrayList<>(cursors.values());
            if (now.isEmpty()) {
                pause(blockMillis);
                continue;
            }
            try {
                if (verify.getAndSet(false)) verify(now);
                List<StreamMessage<String, String>> read = settings.cluster() ? readEach(now) : readAll(now);
                if (failures > 0) {
                    LOG.debug("reading the hub's streams works again after {} failures", failures);
                    failures = 0;
                }
                for (StreamMessage<String, String> m : read) deliver(now, m);
            } catch (RedisException e) {
                if (!active) return;
                if (failures++ == 0) LOG.debug("reading the hub's streams failed; retrying", e);
                verify.set(true);
                long min = settings.reconnectMinDelay().toMillis();
                pause(Math.min(settings.reconnectMaxDelay().toMillis(), min << Math.min(20, failures - 1)));
            } catch (RuntimeException e) {
                if (!active) return;
                LOG.warn("hub stream reader failed; going on", e);
                pause(blockMillis);
            }
        }
    }

    /** One XREAD BLOCK naming every stream (a single server). */
    private List<StreamMessage<String, String>> readAll(List<Cursor> now) {
        @SuppressWarnings("unchecked")
        XReadArgs.StreamOffset<String>[] offsets = new XReadArgs.StreamOffset[now.size()];
        for (int i = 0; i < now.size(); i++) offsets[i] = XReadArgs.StreamOffset.from(logKey(now.get(i).topic), now.get(i).lastId);
        return redis.xread(XReadArgs.Builder.block(blockMillis).count(READ_COUNT), offsets);
    }

    /** A cluster: one non-blocking XREAD per stream, sent together; a short pause when all came back empty. */
    private List<StreamMessage<String, String>> readEach(List<Cursor> now) {
        List<io.lettuce.core.RedisFuture<List<StreamMessage<String, String>>>> futures = new ArrayList<>(now.size());
        for (Cursor c : now) {
            futures.add(connection.async().xread(XReadArgs.Builder.count(READ_COUNT), XReadArgs.StreamOffset.from(logKey(c.topic), c.lastId)));
        }
        List<StreamMessage<String, String>> out = new ArrayList<>();
        for (io.lettuce.core.RedisFuture<List<StreamMessage<String, String>>> f : futures) {
            try {
                List<StreamMessage<String, String>> r = f.get(settings.commandTimeout().toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (r != null) out.addAll(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisException("interrupted");
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RedisException r ? r : new RedisException(e.getCause().toString(), e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new RedisException("no answer to XREAD within the command timeout");
            }
        }
        if (out.isEmpty()) pause(CLUSTER_POLL_MILLIS);
        return out;
    }

    /**
     * After a failure or reconnect: a counter below what was delivered means Redis lost data (it
     * restarted empty, or a replica that had not got the last entries took over). Reading goes on
     * from the start when the numbering started again (everything there came after the loss),
     * else from the newest entry (the older ones were delivered already).
     */
    private void verify(List<Cursor> now) {
        for (Cursor c : now) {
            List<Object> pos = POSITION.run(redis, ScriptOutputType.MULTI, new String[] {seqKey(c.topic), logKey(c.topic)});
            long n = Long.parseLong((String) pos.get(1));
            if (n < c.lastN) {
                LOG.warn("Redis at {} lost part of the record of hub topic {} (counter {} below {} delivered here)",
                        settings.redactedUri(), c.topic, n, c.lastN);
                long first = Long.parseLong((String) pos.get(2));
                if (first <= 1) {
                    c.lastN = 0;
                    c.lastId = "0-0";
                } else {
                    c.lastN = n;
                    c.lastId = (String) pos.get(0);
                }
                onGap.accept(c.topic, new HubMessage.TopicGap(c.topic, -1));
            }
        }
    }

    private void deliver(List<Cursor> now, StreamMessage<String, String> m) {
        Cursor c = null;
        for (Cursor x : now) if (logKey(x.topic).equals(m.getStream())) c = x;
        if (c == null || !cursors.containsKey(c.topic)) return;
        c.lastId = m.getId();
        long n;
        try {
            n = Long.parseLong(m.getBody().get("n"));
        } catch (RuntimeException e) {
            LOG.warn("skipping an entry of {} without a number", m.getStream());
            return;
        }
        if (n != c.lastN + 1) {
            long lost = n > c.lastN + 1 ? n - c.lastN - 1 : -1;
            LOG.warn("hub topic {}: {} messages did not reach this node (entry {} after {})", c.topic,
                    lost < 0 ? "some" : Long.toString(lost), n, c.lastN);
            onGap.accept(c.topic, new HubMessage.TopicGap(c.topic, lost));
        }
        c.lastN = n;
        String w = m.getBody().get("w");
        String p = m.getBody().get("p");
        if (w != null && p != null) {
            long pseq = Long.parseLong(p);
            Long seen = c.lastByWriter.get(w);
            if (seen != null && pseq <= seen) return; // sent again after Redis lost it, but it reached us before
            c.lastByWriter.put(w, pseq);
        }
        String text = m.getBody().get("m");
        if (text != null) onEntry.accept(c.topic, text);
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // stop() interrupts; the loop checks active
        }
    }

    /** Stops the reader thread, waiting at most two seconds. */
    void stop() {
        active = false;
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
