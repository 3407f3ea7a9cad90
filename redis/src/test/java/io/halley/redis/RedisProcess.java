package io.halley.redis;

import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a random free loopback port, without persistence, in a temporary
 * directory; {@link #kill()} and {@link #start()} again on the same port simulate a Redis restart
 * that loses its data. Every wait is bounded. Public for the multi-node web tests in
 * {@code io.halley.redis.cluster}.
 */
public final class RedisProcess implements AutoCloseable {
    private static final String BINARY = findBinary();

    private final int port;
    private final Path dir;
    private Process process;

    private RedisProcess(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /**
     * Starts a server. When {@code redis-server} is missing the test is skipped with a loud
     * message, or fails when the environment variable {@code CI} is {@code true}.
     */
    public static RedisProcess launch() throws IOException {
        if (BINARY == null) {
            String msg = "redis-server is not installed (looked on PATH and in /usr/bin, /usr/local/bin):"
                    + " the Redis scale-out tests cannot run. Install it (apt-get install redis-server).";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg + " CI=true, so this is a failure.");
            System.err.println("*** SKIPPED: " + msg);
            Assumptions.abort(msg);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RedisProcess r = new RedisProcess(port, Files.createTempDirectory("halley-redis-test"));
        r.start();
        return r;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts (again) on the same port and waits until PING answers (10 s at most). */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        process = new ProcessBuilder(List.of(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ping()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("redis-server on port " + port + " did not answer PING within 10 s; log: " + log());
            }
            sleep(20);
        }
    }

    /** Kills the server at once (SIGKILL), like a crash, and waits for it to be gone. */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) fail("redis-server on port " + port + " did not die");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            Path f = dir.resolve("redis.log");
            return Files.exists(f) ? Files.readString(f) : Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }

    /** The system property {@code redis.server} names the binary (for trying the missing-binary path). */
    private static String findBinary() {
        String chosen = System.getProperty("redis.server");
        if (chosen != null) return Files.isExecutable(Path.of(chosen)) ? chosen : null;
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(d, "redis-server");
                if (Files.isExecutable(p)) return p.toString();
            }
        }
        for (String p : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return null;
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
