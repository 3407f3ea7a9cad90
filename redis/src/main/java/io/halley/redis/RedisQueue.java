package io.halley.redis;

import com.google.gson.Gson;
import io.halley.core.spi.Queue;
import io.halley.core.spi.QueuedAction;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.StreamMessage;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Queue} on a Redis Stream with a consumer group, shared by every node: at-least-once
 * processing that survives a node dying in the middle of an action.
 *
 * <p><b>How.</b> {@link #offer} adds the action's JSON to the stream {@code <keyPrefix>queue}
 * (XADD). Each consuming node is one consumer of the group {@code halley}, named at random, and
 * reads new entries on a connection of its own (XREADGROUP with BLOCK) on one daemon thread named
 * {@code halley-redis-queue}. While an action runs, that thread renews it every third of the
 * {@link RedisSettings#visibilityTimeout() visibility timeout}; when it is done it is acknowledged
 * and deleted (XACK and XDEL in one script). Every half timeout each node looks for entries that
 * nobody renewed for a whole timeout (their node died, hung or lost Redis) and takes them over
 * (XPENDING IDLE, XCLAIM), so another node runs them. An entry delivered
 * {@link RedisSettings#maxDeliveries() maxDeliveries} times without completing is dropped with a
 * warning. A worker that throws has not taken the action: it is handed out again after the
 * visibility timeout.
 *
 * <p><b>Duplicates</b> are possible but rare: an action runs twice when its node stalls longer than
 * the visibility timeout (a long GC pause, a network partition) yet finishes, or dies after the
 * action's effects but before the acknowledgement. The {@link QueuedAction#id()} is the same on
 * every delivery; handlers with side effects that must happen once should key them by it.
 *
 * <p><b>Redis restarting</b>: queued actions survive only if Redis persists its data (AOF); after
 * a restart without it the group is created again and the queue goes on empty. Needs Redis 6.2+.
 *
 * <p>Thread-safe. {@link #offer} blocks up to the command timeout and then throws
 * {@link RedisUnavailableException}. The {@code done} callback never blocks: it sends the
 * acknowledgement and, should that fail, only logs (the action runs again later).
 * {@link #close()} stops the consumer thread within about two seconds and waits up to the command
 * timeout for acknowledgements still on their way.
 */
public final class RedisQueue implements Queue {
    private static final Logger LOG = LoggerFactory.getLogger(RedisQueue.class);
    static final String GROUP = "halley";
    static final String FIELD = "a";
    private static final Gson GSON = new Gson();

    /** KEYS stream; ARGV group, id. */
    private static final LuaScript ACK = new LuaScript(
            "redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) return redis.call('XDEL', KEYS[1], ARGV[2])");
    /** KEYS stream; ARGV group, consumer: forgets the consumer when it holds nothing. */
    private static final LuaScript FORGET = new LuaScript(String.join("\n",
            "if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) == 0 then",
            "  return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])",
            "end",
            "return -1"));

    private final RedisSettings settings;
    private final String stream;
    private final String consumerName = "c-" + UUID.randomUUID().toString().substring(0, 13);
    private final AbstractRedisClient client;
    private final RedisClusterCommands<String, String> redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final Set<CompletableFuture<?>> pendingAcks = ConcurrentHashMap.newKeySet();
    private QueueConsumer consumer; // guarded by this
    private volatile boolean closed;
    private volatile boolean crashed;

    /**
     * Connects to Redis and creates the stream and group when missing.
     *
     * @throws RedisUnavailableException when Redis cannot be reached within the command timeout
     * @throws IllegalStateException     when the server is older than Redis 6.2
     */
    public RedisQueue(RedisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stream = settings.keyPrefix() + "queue";
        this.client = Lettuce.anyClient(settings, "queue");
        try {
            Lettuce.Connection c = Lettuce.connect(client);
            this.redis = c.sync();
            this.async = c.async();
            requireVersion(redis.info("server")); // on a cluster: the node the connection started on
            ensureGroup(redis, stream);
        } catch (RedisException | IllegalStateException e) {
            Lettuce.shutdown(client);
            if (e instanceof RedisException) throw Lettuce.unavailable("connecting the queue", settings, (RedisException) e);
            throw e;
        }
    }

    /**
     * {@inheritDoc} Returns once Redis has recorded the action.
     *
     * @throws RedisUnavailableException when Redis does not record it within the command timeout
     * @throws IllegalStateException     after {@link #close()}
     */
    @Override
    public void offer(QueuedAction action) {
        Objects.requireNonNull(action, "action");
        if (closed) throw new IllegalStateException("RedisQueue is closed");
        try {
            redis.xadd(stream, Map.of(FIELD, GSON.toJson(action)));
        } catch (RedisException e) {
            throw Lettuce.unavailable("queueing action " + action.id() + " (" + action.route() + ")", settings, e);
        }
    }

    /**
     * {@inheritDoc} Starts the {@code halley-redis-queue} thread on a connection of its own.
     *
     * @throws IllegalStateException when already consuming or closed
     * @throws RedisUnavailableException when the connection cannot be made
     */
    @Override
    public synchronized void consume(ActionWorker worker) {
        Objects.requireNonNull(worker, "worker");
        if (closed) throw new IllegalStateException("RedisQueue is closed");
        if (consumer != null) throw new IllegalStateException("already consuming");
        try {
            consumer = new QueueConsumer(this, settings, Lettuce.connect(client), worker);
        } catch (RedisException e) {
            throw Lettuce.unavailable("connecting the queue consumer", settings, e);
        }
        consumer.start();
        LOG.info("consuming actions from {} on {} as {}", stream, settings.redactedUri(), consumerName);
    }

    /** Stops the consumer thread (bounded), forgets this consumer if it holds no action, closes. Idempotent. */
    @Override
    public void close() {
        QueueConsumer c;
        synchronized (this) {
            if (closed) return;
            closed = true;
            c = consumer;
        }
        if (c != null) c.stop();
        if (!crashed) awaitAcks();
        if (c != null && !crashed) {
            try {
                FORGET.run(redis, ScriptOutputType.INTEGER, new String[] {stream}, GROUP, consumerName);
            } catch (RedisException e) {
                LOG.debug("forgetting consumer {} failed", consumerName, e);
            }
        }
        Lettuce.shutdown(client);
    }

    /**
     * Simulates this process dying: the consumer stops without acknowledging anything, later
     * {@code done}s do nothing and the connections close, so the actions it held wait for another
     * node to take them over. For tests.
     */
    void simulateCrash() {
        crashed = true;
        close();
    }

    /**
     * Acknowledges and deletes entry {@code id} without blocking; on failure only logs (the entry
     * runs again later). {@link #close()} waits for acknowledgements still on their way.
     */
    void ack(String id, String what) {
        if (crashed) return;
        if (closed) {
            LOG.debug("{} finished after the queue closed; another node runs it again", what);
            return;
        }
        CompletableFuture<Long> f = ACK.runAsync(async, ScriptOutputType.INTEGER, new String[] {stream}, GROUP, id);
        pendingAcks.add(f);
        f.whenComplete((r, e) -> {
            pendingAcks.remove(f);
            if (e != null) LOG.warn("acknowledging {} failed ({}); it runs again after the visibility timeout", what, e.toString());
        });
    }

    private void awaitAcks() {
        try {
            CompletableFuture.allOf(pendingAcks.toArray(new CompletableFuture<?>[0]))
                    .get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("some acknowledgements did not complete before close", e);
        }
    }

    String stream() {
        return stream;
    }

    String consumerName() {
        return consumerName;
    }

    /** Decodes an entry's action, or null when it is not one. */
    static QueuedAction decode(StreamMessage<String, String> m) {
        String json = m.getBody() == null ? null : m.getBody().get(FIELD);
        if (json == null) return null;
        try {
            return GSON.fromJson(json, QueuedAction.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Creates the consumer group (reading the stream from its start) and the stream when missing. */
    static void ensureGroup(RedisClusterCommands<String, String> redis, String stream) {
        try {
            redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) throw e;
        }
    }

    private void requireVersion(String info) {
        String v = "";
        for (String line : info.split("\r?\n")) if (line.startsWith("redis_version:")) v = line.substring(14).trim();
        String[] p = v.split("\\.");
        try {
            int major = Integer.parseInt(p[0]);
            int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
            if (major > 6 || (major == 6 && minor >= 2)) return;
        } catch (NumberFormatException e) {
            LOG.warn("cannot read the Redis version from INFO (\"{}\"); assuming 6.2 or later", v);
            return;
        }
        throw new IllegalStateException("RedisQueue needs Redis 6.2 or later (XPENDING IDLE); "
                + settings.redactedUri() + " runs " + v);
    }
}
