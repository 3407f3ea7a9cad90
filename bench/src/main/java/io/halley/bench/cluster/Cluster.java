package io.halley.bench.cluster;

import io.halley.bench.report.Report;
import io.halley.bench.server.ServerHandle;
import io.halley.bench.server.Stats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The 3-node scenario's system under test as one {@link ServerHandle}: Halley nodes (each a
 * server JVM of its own, {@code ServerMain halley-node <redis-uri> <node-id>}, with
 * {@code RedisHub}, {@code RedisChannelHistory} and {@code RedisQueue} on one {@link RedisProcess}).
 * A publish goes to node 1 only; the other nodes get it through Redis. Its stats are the sums over
 * the nodes (held connections, pages, heap, RSS, threads, GC) and its CPU time the nodes' plus
 * redis-server's, so that the CPU per million deliveries is the whole system's. Clients are spread
 * over {@link #ports()}. Closing stops the nodes, then Redis.
 */
public final class Cluster implements ServerHandle {
    private final List<ServerHandle> nodes;
    private final RedisProcess redis;

    public Cluster(List<ServerHandle> nodes, RedisProcess redis) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("no nodes");
        this.nodes = List.copyOf(nodes);
        this.redis = redis;
    }

    /** Starts {@code count} nodes on {@code redis} through {@code launcher}; on failure stops those already up. */
    public static Cluster start(RedisProcess redis, int count, NodeLauncher launcher) throws Exception {
        List<ServerHandle> up = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) up.add(launcher.start("node" + i, redis.uri()));
        } catch (Exception e) {
            for (ServerHandle n : up) n.close();
            throw e;
        }
        return new Cluster(up, redis);
    }

    /** Starts one node JVM. */
    public interface NodeLauncher {
        ServerHandle start(String nodeId, String redisUri) throws Exception;
    }

    @Override
    public String name() {
        return Report.HALLEY_NODES;
    }

    /** Node 1's port, the one the publisher talks to. */
    @Override
    public int port() {
        return nodes.get(0).port();
    }

    /** Every node's port, in node order. */
    public int[] ports() {
        int[] p = new int[nodes.size()];
        for (int i = 0; i < p.length; i++) p[i] = nodes.get(i).port();
        return p;
    }

    public List<ServerHandle> nodes() {
        return nodes;
    }

    @Override
    public long pid() {
        return nodes.get(0).pid();
    }

    /** redis-server's first (the nodes' connections wait on it), then the nodes'. */
    @Override
    public List<Long> pids() {
        List<Long> p = new ArrayList<>();
        if (redis != null) p.add(redis.pid());
        for (ServerHandle n : nodes) p.add(n.pid());
        return p;
    }

    @Override
    public long publish(int n, int size, long due) throws IOException {
        return nodes.get(0).publish(n, size, due);
    }

    @Override
    public Stats stats(boolean gc) throws IOException {
        long heap = 0, rss = 0, direct = 0, cpu = redis == null ? 0 : redis.cpuNanos(), gcs = 0, gcMs = 0;
        int threads = 0, conns = 0, kept = 0;
        for (ServerHandle node : nodes) {
            Stats s = node.stats(gc);
            heap += s.heapUsed();
            rss += s.rssBytes();
            direct += s.directBytes();
            cpu += s.cpuNanos();
            threads += s.threads();
            conns += s.connections();
            kept += s.clientsKept();
            gcs += s.gcCount();
            gcMs += s.gcMillis();
        }
        return new Stats(heap, rss, direct, cpu, threads, conns, kept, gcs, gcMs);
    }

    @Override
    public void close() {
        for (ServerHandle n : nodes) n.close();
        if (redis != null) redis.close();
    }
}
