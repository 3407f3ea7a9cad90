package io.halley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Sentinel setup for tests: one master, one replica and three sentinels
 * ({@code redis-server --sentinel}), all real processes on free loopback ports, without
 * persistence, in a temporary folder; the sentinels (quorum 2) fail over once the master has been
 * unreachable for 1 s. The binary is found as for {@link RedisServer}; without it the test is
 * skipped loudly (fails when {@code CI=true}). Every wait is bounded; {@link #close()} kills every
 * process and deletes the folder.
 *
 * <pre>{@code
 * try (RedisSentinels set = RedisSentinels.launch()) {
 *     RedisSettings s = RedisSettings.of(set.uri());   // redis-sentinel://…#halley
 *     ...
 *     set.killMaster();
 * }
 * }</pre>
 */
public final class RedisSentinels implements AutoCloseable {
    /** The master's name the sentinels monitor (the URI's fragment). */
    public static final String MASTER_NAME = "halley";

    private final Path dir;
    private final int masterPort = Ports.free();
    private final int replicaPort = Ports.free();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private Process master;

    private RedisSentinels(Path dir) {
        this.dir = dir;
    }

    /** Starts the five processes, waits until each answers and the replica is in sync. */
    public static RedisSentinels launch() throws IOException {
        String binary = RedisServer.findBinary();
        if (binary == null) {
            ExternalPrograms.missing("redis-server is not installed (looked at -Dredis.server, on PATH and in /usr/bin,"
                    + " /usr/local/bin): the Sentinel tests cannot run. Install it (apt-get install redis-server)");
        }
        RedisSentinels s = new RedisSentinels(Files.createTempDirectory("halley-sentinel-test"));
        try {
            s.master = s.server(binary, s.masterPort, "master");
            s.awaitPing(s.masterPort);
            s.server(binary, s.replicaPort, "replica", "--replicaof", "127.0.0.1", Integer.toString(s.masterPort));
            s.awaitPing(s.replicaPort);
            for (int i = 0; i < 3; i++) {
                int port = Ports.free();
                s.sentinelPorts.add(port);
                Path conf = s.dir.resolve("sentinel-" + i + ".conf");
                Files.writeString(conf, String.join("\n",
                        "port " + port, "bind 127.0.0.1", "dir " + s.dir,
                        "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + s.masterPort + " 2",
                        "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                        "sentinel failover-timeout " + MASTER_NAME + " 5000",
                        "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
                s.start(List.of(binary, conf.toString(), "--sentinel"), "sentinel-" + i);
                s.awaitPing(port);
            }
            s.awaitReplicaInSync();
        } catch (IOException | RuntimeException | Error e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** {@code redis-sentinel://127.0.0.1:a,127.0.0.1:b,127.0.0.1:c#halley}. */
    public String uri() {
        StringBuilder b = new StringBuilder("redis-sentinel://");
        for (int i = 0; i < sentinelPorts.size(); i++) b.append(i == 0 ? "" : ",").append("127.0.0.1:").append(sentinelPorts.get(i));
        return b.append("#").append(MASTER_NAME).toString();
    }

    public int replicaPort() {
        return replicaPort;
    }

    /** Kills the master (SIGKILL), like a crash. */
    public void killMaster() throws InterruptedException {
        master.destroyForcibly();
        if (!master.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("the master did not die");
    }

    /** Whether the replica has been promoted (answers {@code role:master} to INFO replication). */
    public boolean replicaIsMaster() {
        return command(replicaPort, "INFO replication").contains("role:master");
    }

    private void awaitReplicaInSync() {
        Await.until("the replica is in sync with the master", () -> command(replicaPort, "INFO replication").contains("master_link_status:up"));
    }

    private Process server(String binary, int port, String name, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--dbfilename", name + ".rdb"));
        cmd.addAll(List.of(more));
        return start(cmd, name);
    }

    private Process start(List<String> cmd, String name) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private void awaitPing(int port) {
        Await.until("redis on port " + port + " answers PING", () -> command(port, "PING").startsWith("+PONG"));
    }

    /** Sends one inline command and returns what arrived within 500 ms ("" on failure). */
    private static String command(int port, String inline) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n = in.read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (Process p : processes) p.destroyForcibly();
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ExternalPrograms.deleteQuietly(dir);
    }
}
