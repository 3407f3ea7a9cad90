package io.halley.bench.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} of the 3-node scenario: a free loopback port, no persistence, a temporary
 * folder for its log, started and stopped by the suite. The binary is {@code -Dredis.server}, else
 * {@code redis-server} on {@code PATH}, in {@code /usr/bin} or {@code /usr/local/bin}; {@link #find()}
 * says whether there is one, so that the suite can skip the scenario loudly instead of failing.
 * Every wait is bounded (10 s).
 */
public final class RedisProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private RedisProcess(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** The redis-server binary, or null when there is none. */
    public static String find() {
        String given = System.getProperty("redis.server");
        if (given != null) return Files.isExecutable(Path.of(given)) ? given : null;
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : (path + ":/usr/bin:/usr/local/bin").split(":")) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, "redis-server");
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    /**
     * Starts {@code binary} on a free port and waits (10 s at most) until it answers PING. The port is
     * free when chosen, but an outgoing connection of this JVM may take it before redis-server binds
     * it; a redis-server that exits before it answers is started again on another port (3 tries).
     */
    public static RedisProcess start(String binary) throws IOException, InterruptedException {
        IOException failed = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(binary);
            } catch (PortTaken e) {
                failed = e;
            }
        }
        throw failed;
    }

    private static RedisProcess startOnce(String binary) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("halley-bench-redis");
        Process p = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        RedisProcess r = new RedisProcess(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!r.ping()) {
            if (!p.isAlive()) {
                String why = lastLine(dir.resolve("redis.log"));
                r.close();
                throw new PortTaken("redis-server on port " + port + " exited before it answered PING (exit "
                        + p.exitValue() + "): " + why);
            }
            if (System.nanoTime() > deadline) {
                r.close();
                throw new IOException("redis-server on port " + port + " did not answer PING within 10 s");
            }
            Thread.sleep(20);
        }
        return r;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(its log is empty)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** A redis-server that exited at its start: most likely its port was taken meanwhile. */
    private static final class PortTaken extends IOException {
        PortTaken(String message) {
            super(message);
        }
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** The process's CPU time so far (user + system, from {@code /proc/<pid>/stat}, 100 ticks a second), or 0 where unknown. */
    public long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the name: state(0) ... utime(11) stime(12)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = in.read(b);
            return n > 0 && new String(b, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the server (10 s at most) and deletes its folder. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind
        }
    }
}
