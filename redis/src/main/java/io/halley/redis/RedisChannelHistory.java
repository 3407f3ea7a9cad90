package io.halley.redis;

import io.halley.core.spi.ChannelHistory;
import io.lettuce.core.Range;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChannelHistory} shared by every node through Redis: ids come from one counter per
 * channel and the last {@link RedisSettings#historySize()} messages of each channel are kept in a
 * sorted set scored by id. Recording a message (id and entry together) is one Lua script, so ids
 * and history always agree; a batch ({@link #appendAll}) is one script call for up to
 * {@link #APPEND_CHUNK} messages, with consecutive ids.
 *
 * <p><b>Keys</b> (prefix {@code p}): {@code p}ch:{<channel>}:seq (the last id),
 * {@code p}ch:{<channel>}:log (sorted set of {@code "<id>:<json>"} scored by id),
 * {@code p}epoch and {@code p}floor (see below). The braces are a Redis Cluster hash tag: a
 * channel's keys share one slot. On a cluster the epoch and floor are kept per slot, beside the
 * channels they guard ({@code p}epoch:{<tag>}, {@code p}floor:{<tag>}, with a tag of the channel's
 * slot from {@link SlotTags}), since a master that loses its data loses only its own slots; a node
 * learns a slot's epoch at its first append there.
 *
 * <p><b>Ids survive losing Redis's data.</b> Ids increase per channel even when Redis restarts
 * without persistence: every node remembers the {@code epoch} value it last saw; a node finding it
 * gone or changed knows the data was lost and sets {@code floor} to Redis's clock in microseconds
 * (about 1.8e15, still exact in JavaScript). A channel whose counter is missing then starts above
 * the floor, so ids jump forward instead of starting again at 1 and catching up by id never skips
 * new messages. The lost history itself is gone; clients ask again with the ids they have.
 *
 * <p>Thread-safe. {@link #append} and {@link #since} block up to the command timeout and throw
 * {@link RedisUnavailableException} when Redis cannot answer in time (an append that timed out may
 * still have been recorded). The constructor connects, and fails the same way when Redis is
 * unreachable.
 */
public final class RedisChannelHistory implements ChannelHistory {
    private static final Logger LOG = LoggerFactory.getLogger(RedisChannelHistory.class);

    /**
     * KEYS seq, log, epoch, floor; ARGV cap, known epoch ('' = none), new epoch, then the batch's
     * data (one or more). Takes the next ids for the whole batch (consecutive) and records each
     * entry under its id. Returns {last id, epoch}.
     */
    private static final LuaScript APPEND = new LuaScript(String.join("\n",
            "local e = redis.call('GET', KEYS[3])",
            "if not e then",
            "  e = ARGV[3]",
            "  redis.call('SET', KEYS[3], e)",
            "end",
            "if ARGV[2] ~= '' and e ~= ARGV[2] and redis.call('EXISTS', KEYS[4]) == 0 then",
            "  local t = redis.call('TIME')",
            "  redis.call('SET', KEYS[4], string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])))",
            "end",
            "if redis.call('EXISTS', KEYS[1]) == 0 then",
            "  local f = redis.call('GET', KEYS[4])",
            "  if f then redis.call('SET', KEYS[1], f) end",
            "end",
            "local n = #ARGV - 3",
            "local last = redis.call('INCRBY', KEYS[1], n)",
            "local cap = tonumber(ARGV[1])",
            "if cap > 0 then",
            "  local first = last - n + 1",
            "  for i = math.max(4, #ARGV - cap + 1), #ARGV do", // entries past the cap would be trimmed at once
            "    local sid = string.format('%.0f', first + i - 4)",
            "    redis.call('ZADD', KEYS[2], sid, sid .. ':' .. ARGV[i])",
            "  end",
            "  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(cap + 1))",
            "end",
            "return {last, e}"));

    /** Messages of one batch recorded per script call: bounds one command's size and how long it runs on Redis. */
    static final int APPEND_CHUNK = 500;

    private final RedisSettings settings;
    private final AbstractRedisClient client;
    private final RedisClusterCommands<String, String> redis;
    private final boolean cluster;
    /** The data epoch last seen: one for a single server, per slot on a cluster ("" = not yet seen). */
    private final java.util.Map<Integer, String> knownEpochs = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Connects to Redis and learns (or creates) the data epoch.
     *
     * @throws RedisUnavailableException when Redis cannot be reached within the command timeout
     */
    public RedisChannelHistory(RedisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cluster = settings.cluster();
        this.client = Lettuce.anyClient(settings, "history");
        try {
            this.redis = Lettuce.connect(client).sync();
            if (!cluster) {
                String epochKey = epochKey("");
                redis.set(epochKey, UUID.randomUUID().toString(), SetArgs.Builder.nx());
                String e = redis.get(epochKey);
                knownEpochs.put(-1, e == null ? "" : e);
            } else {
                redis.ping(); // reach the cluster now, so that a wrong URI fails here
            }
        } catch (RedisException e) {
            Lettuce.shutdown(client);
            throw Lettuce.unavailable("connecting the channel history", settings, e);
        }
    }

    @Override
    public long append(String channel, String dataJson) {
        Objects.requireNonNull(dataJson, "dataJson");
        return appendAll(channel, List.of(dataJson))[0];
    }

    /**
     * Records the batch with one script call (one round trip) per {@link #APPEND_CHUNK} messages, in
     * order, with consecutive ids. Blocks and fails as {@link #append}; after a failure the chunks
     * before the failed one are recorded.
     */
    @Override
    public long[] appendAll(String channel, List<String> dataJson) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(dataJson, "dataJson");
        requireOpen();
        long[] ids = new long[dataJson.size()];
        for (int from = 0; from < ids.length; from += APPEND_CHUNK) {
            List<String> chunk = dataJson.subList(from, Math.min(ids.length, from + APPEND_CHUNK));
            long last = appendChunk(channel, chunk);
            for (int i = 0; i < chunk.size(); i++) ids[from + i] = last - chunk.size() + 1 + i;
        }
        return ids;
    }

    /** One script call: the chunk's entries under consecutive ids; returns the last. */
    private long appendChunk(String channel, List<String> chunk) {
        int slot = cluster ? SlotTags.slot(seqKey(channel)) : -1;
        String knownEpoch = knownEpochs.getOrDefault(slot, "");
        String[] keys = {seqKey(channel), logKey(channel), epochKey(channel), floorKey(channel)};
        String[] args = new String[3 + chunk.size()];
        args[0] = Integer.toString(settings.historySize());
        args[1] = knownEpoch;
        args[2] = UUID.randomUUID().toString();
        for (int i = 0; i < chunk.size(); i++) args[3 + i] = Objects.requireNonNull(chunk.get(i), "dataJson element");
        try {
            List<Object> r = APPEND.run(redis, ScriptOutputType.MULTI, keys, args);
            String epoch = (String) r.get(1);
            if (!knownEpoch.isEmpty() && !epoch.equals(knownEpoch)) {
                LOG.warn("Redis at {} lost its data (epoch changed): channel history before now is gone; ids go on above the floor",
                        settings.redactedUri());
            }
            knownEpochs.put(slot, epoch);
            return (Long) r.get(0);
        } catch (RedisException e) {
            throw Lettuce.unavailable("recording a message on channel " + channel, settings, e);
        }
    }

    /** The channel's counter (0 when Redis has none: never written, or its data was lost). */
    @Override
    public long lastId(String channel) {
        Objects.requireNonNull(channel, "channel");
        requireOpen();
        String v;
        try {
            v = redis.get(seqKey(channel));
        } catch (RedisException e) {
            throw Lettuce.unavailable("reading the last id of channel " + channel, settings, e);
        }
        if (v == null) return 0;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            LOG.warn("{} holds no number; taken as 0", seqKey(channel));
            return 0;
        }
    }

    @Override
    public List<Entry> since(String channel, long afterId) {
        Objects.requireNonNull(channel, "channel");
        requireOpen();
        List<String> members;
        try {
            members = redis.zrangebyscore(logKey(channel),
                    Range.from(Range.Boundary.excluding(afterId), Range.Boundary.unbounded()));
        } catch (RedisException e) {
            throw Lettuce.unavailable("reading the history of channel " + channel, settings, e);
        }
        List<Entry> out = new ArrayList<>(members.size());
        for (String m : members) {
            int colon = m.indexOf(':');
            try {
                out.add(new Entry(Long.parseLong(m.substring(0, colon)), m.substring(colon + 1)));
            } catch (RuntimeException e) {
                LOG.warn("skipping a malformed entry in {}: not \"<id>:<json>\"", logKey(channel));
            }
        }
        return out;
    }

    /** Closes the connection; later calls fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Lettuce.shutdown(client);
    }

    private void requireOpen() {
        if (closed) throw new IllegalStateException("RedisChannelHistory is closed");
    }

    String seqKey(String channel) {
        return settings.keyPrefix() + "ch:{" + channel + "}:seq";
    }

    String logKey(String channel) {
        return settings.keyPrefix() + "ch:{" + channel + "}:log";
    }

    /** The epoch key guarding {@code channel}: one per system, or on a cluster one per slot. */
    String epochKey(String channel) {
        return cluster ? settings.keyPrefix() + "epoch:{" + SlotTags.tagFor(SlotTags.slot(seqKey(channel))) + "}"
                : settings.keyPrefix() + "epoch";
    }

    private String floorKey(String channel) {
        return cluster ? settings.keyPrefix() + "floor:{" + SlotTags.tagFor(SlotTags.slot(seqKey(channel))) + "}"
                : settings.keyPrefix() + "floor";
    }
}
