package io.halley.redis;

import io.halley.testing.Await;
import io.halley.testing.Ports;
import io.lettuce.core.cluster.SlotHash;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A local Redis Cluster for tests: three masters, and with {@link #launchWithReplicas()} one
 * replica of each ({@code --cluster-replicas 1}), real {@code redis-server --cluster-enabled yes}
 * processes on free loopback ports in a temporary folder, joined with {@code redis-cli --cluster
 * create} (slots 0-5460, 5461-10922 and 10923-16383 on nodes 0, 1 and 2; nodes 3 to 5 are the
 * replicas). {@code cluster-node-timeout} is 2 s, so a replica takes over a dead master within a
 * few seconds.
 * {@code cluster-require-full-coverage no}, so the other masters keep serving while one is down.
 * Without {@code redis-server} or {@code redis-cli} (at least 7.0, for sharded pub/sub) the test
 * is skipped loudly, or fails when {@code CI=true}. Every wait is bounded; {@link #close()} kills
 * every process and deletes the folder. Admin commands go through {@code redis-cli}, so the kit
 * starts no Lettuce thread.
 */
public final class RedisCluster implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String server;
    private final String cli;
    private final Path dir;
    private final int[] ports;
    /** Each node's cluster bus port, chosen like its port (not port + 10000, which may be taken). */
    private final int[] busPorts;
    private final Process[] processes;

    private RedisCluster(String server, String cli, Path dir, int nodes) {
        this.server = server;
        this.cli = cli;
        this.dir = dir;
        this.ports = new int[nodes];
        this.busPorts = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            ports[i] = Ports.free();
            busPorts[i] = Ports.free();
        }
        this.processes = new Process[nodes];
    }

    /** Starts the three masters, creates the cluster and waits until every node says cluster_state:ok. */
    public static RedisCluster launch() throws IOException {
        return launch(0);
    }

    /**
     * Three masters and a replica of each (nodes 3, 4 and 5), all in sync and the cluster ok.
     * {@link #replicaOf(int)} says which replica follows which master.
     */
    public static RedisCluster launchWithReplicas() throws IOException {
        RedisCluster c = launch(1);
        try {
            for (int m = 0; m < 3; m++) {
                int master = m;
                Await.until("master " + m + " lists its replica", WAIT, () -> c.replicaIndex(master) >= 0);
                int r = c.replicaOf(m);
                Await.until("node " + r + " (replica of " + m + ") is in sync", WAIT,
                        () -> c.cli(r, "INFO", "replication").contains("master_link_status:up"));
            }
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static RedisCluster launch(int replicas) throws IOException {
        String server = find("redis-server");
        String cli = find("redis-cli");
        if (server == null || cli == null) {
            missing("redis-server and redis-cli (7.0 or later) are needed for the Redis Cluster tests; install them "
                    + "(apt-get install redis-server)");
        }
        RedisCluster c = new RedisCluster(server, cli, Files.createTempDirectory("halley-redis-cluster"), 3 * (1 + replicas));
        try {
            for (int i = 0; i < c.ports.length; i++) c.start(i);
            List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
            for (int p : c.ports) create.add("127.0.0.1:" + p);
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            String out = c.run(create, Duration.ofSeconds(30));
            if (!out.contains("All 16384 slots covered")) throw new AssertionError("redis-cli --cluster create failed: " + out);
            c.awaitOk();
        } catch (IOException | RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** {@code redis-cluster://127.0.0.1:a,127.0.0.1:b,127.0.0.1:c}: the three first masters as the seeds. */
    public String uri() {
        return "redis-cluster://" + Arrays.stream(ports).limit(3).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public int port(int master) {
        return ports[master];
    }

    /** The master (0, 1 or 2) serving {@code key}'s slot, by the ranges {@code --cluster create} gave. */
    public static int masterOf(String key) {
        int slot = SlotHash.getSlot(key);
        return slot <= 5460 ? 0 : slot <= 10922 ? 1 : 2;
    }

    /** {@code PUBSUB SHARDCHANNELS} on master {@code i}: the shard channels someone subscribes to there. */
    public List<String> shardChannels(int i) {
        String out = cli(i, "PUBSUB", "SHARDCHANNELS").trim();
        return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
    }

    /** {@code PUBSUB SHARDNUMSUB channel} on master {@code i}: how many connections subscribe to it. */
    public long shardSubscribers(int i, String shardChannel) {
        String[] lines = cli(i, "PUBSUB", "SHARDNUMSUB", shardChannel).trim().split("\\R");
        return lines.length < 2 ? 0 : Long.parseLong(lines[1].trim());
    }

    /**
     * Restarts master {@code i} keeping its data: {@code SHUTDOWN SAVE}, a pause of
     * {@code down}, then the same process again (same port, node id and slots), and waits until
     * the cluster is ok. Bounded waits.
     */
    public void restartMaster(int i, Duration down) throws IOException {
        cli(i, "SHUTDOWN", "SAVE");
        try {
            if (!processes[i].waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("master " + i + " did not shut down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        Await.pause(down.toMillis());
        start(i);
        awaitOk();
    }

    private void start(int i) throws IOException {
        Path d = dir.resolve("n" + i);
        Files.createDirectories(d);
        processes[i] = new ProcessBuilder(List.of(server, "--port", Integer.toString(ports[i]), "--bind", "127.0.0.1",
                "--cluster-port", Integer.toString(busPorts[i]),
                "--cluster-enabled", "yes", "--cluster-config-file", d.resolve("nodes.conf").toString(),
                "--cluster-node-timeout", "2000", "--cluster-require-full-coverage", "no",
                "--save", "", "--appendonly", "no", "--dir", d.toString(), "--logfile", d.resolve("redis.log").toString()))
                .redirectErrorStream(true).redirectOutput(d.resolve("stdout.log").toFile()).start();
        Await.until("node " + i + " answers PING", WAIT, () -> cli(i, "PING").trim().equals("PONG"));
    }

    /** The node (3, 4 or 5) that replicates master {@code m}, read from {@code CLUSTER NODES}. */
    public int replicaOf(int m) {
        int r = replicaIndex(m);
        if (r < 0) throw new AssertionError("no replica of node " + m + " in " + cli(m, "CLUSTER", "NODES"));
        return r;
    }

    private int replicaIndex(int m) {
        String[] lines = cli(m, "CLUSTER", "NODES").split("\\R");
        String self = Arrays.stream(lines).filter(l -> l.contains("myself")).map(l -> l.split(" ")[0]).findFirst().orElse("?");
        for (String l : lines) {
            String[] f = l.split(" ");
            if (f.length > 3 && f[3].equals(self)) {
                int port = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
                for (int i = 0; i < ports.length; i++) if (ports[i] == port) return i;
            }
        }
        return -1;
    }

    /** Whether node {@code i} says it is a master ({@code role:master}). */
    public boolean isMaster(int i) {
        return cli(i, "INFO", "replication").contains("role:master");
    }

    /** Kills node {@code i} (SIGKILL), like a crash, and waits (10 s at most) until it is gone. */
    public void kill(int i) throws InterruptedException {
        processes[i].destroyForcibly();
        if (!processes[i].waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("node " + i + " did not die");
    }

    /** Waits (20 s at most) until every running node reports cluster_state:ok. */
    public void awaitOk() {
        Await.until("every node reports cluster_state:ok", WAIT, () -> {
            for (int i = 0; i < processes.length; i++) {
                if (processes[i] == null || !processes[i].isAlive()) continue;
                if (!cli(i, "CLUSTER", "INFO").contains("cluster_state:ok")) return false;
            }
            return true;
        });
    }

    /** Runs {@code redis-cli -p <port of i> args…} and returns what it printed (empty on a failure). */
    public String cli(int i, String... args) {
        List<String> cmd = new ArrayList<>(List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(ports[i])));
        cmd.addAll(List.of(args));
        try {
            return run(cmd, Duration.ofSeconds(5));
        } catch (IOException | AssertionError e) {
            return "";
        }
    }

    private String run(List<String> cmd, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout);
            }
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Kills every process and deletes the folder. */
    @Override
    public void close() {
        for (Process p : processes) {
            if (p == null) continue;
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left behind
        }
    }

    private static String find(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) return p.toString();
            }
        }
        for (String p : new String[] {"/usr/bin/" + name, "/usr/local/bin/" + name}) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return null;
    }

    private static void missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message + ": missing on CI (CI=true), so this is a failure");
        System.err.println("!!!!!!!! SKIPPED: " + message + " !!!!!!!!");
        Assumptions.abort(message);
    }
}
