package io.halley.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, without persistence, in a temporary
 * folder. {@link #kill()} and then {@link #start()} on the same port is a Redis restart that loses
 * its data; {@link #restartKeepingData()} is one that keeps it (a saved snapshot); {@link #pause()}
 * and {@link #resume()} stop and continue the process (SIGSTOP, SIGCONT), like a server that
 * hangs with its connections open. Process-only: it speaks nothing but {@code PING} (no Redis client library).
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.launch()) {
 *     RedisSettings s = RedisSettings.builder().uri(redis.uri()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>The binary is the system property {@code redis.server} if set, else {@code redis-server} on
 * {@code PATH}, in {@code /usr/bin} or {@code /usr/local/bin}. When there is none the test is
 * skipped with a loud message, or fails when the environment variable {@code CI} is {@code true}.
 * Every wait is bounded (10 s). Methods block the calling thread; start and kill are synchronized.
 */
public final class RedisServer implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final String binary;
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(String binary, int port, Path dir) {
        this.binary = binary;
        this.port = port;
        this.dir = dir;
    }

    /** Starts a server on a free port and waits until it answers PING; skips or fails when not installed. */
    public static RedisServer launch() throws IOException {
        String binary = findBinary();
        if (binary == null) {
            ExternalPrograms.missing("redis-server is not installed (looked at -Dredis.server, on PATH and in /usr/bin,"
                    + " /usr/local/bin): the Redis tests cannot run. Install it (apt-get install redis-server)");
        }
        RedisServer r = new RedisServer(binary, Ports.free(), Files.createTempDirectory("halley-redis-test"));
        try {
            r.start();
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts (again) on the same port and waits (10 s at most) until PING answers; fails otherwise. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!ping()) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                throw new AssertionError("redis-server on port " + port + " did not answer PING within " + STARTUP
                        + "; log: " + log());
            }
            Await.pause(20);
        }
    }

    /**
     * Stops the process with SIGSTOP: it keeps its sockets open and answers nothing until
     * {@link #resume()}, like a server that hangs. Waits (5 s at most) for the signal to be sent.
     */
    public synchronized void pause() {
        signal("STOP");
    }

    /** Continues a {@link #pause()}d process (SIGCONT). */
    public synchronized void resume() {
        signal("CONT");
    }

    /**
     * Saves a snapshot and stops ({@code SHUTDOWN SAVE}), then starts again on the same port with
     * the saved data: a Redis restart that keeps its data. Bounded waits (10 s each).
     */
    public synchronized void restartKeepingData() throws IOException {
        if (process == null || !process.isAlive()) throw new IllegalStateException("not running");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.getOutputStream().write("SHUTDOWN SAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("redis-server on port " + port + " did not shut down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        process = null;
        start();
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) throw new IllegalStateException("not running");
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Kills the server at once (SIGKILL), like a crash, and waits (10 s at most) for it to be gone;
     * a snapshot saved by {@link #restartKeepingData()} is deleted, so the next start is empty. A
     * paused server is killed too.
     */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("redis-server on port " + port + " did not die");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
        try {
            Files.deleteIfExists(dir.resolve("dump.rdb"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the server and deletes its folder. */
    @Override
    public void close() {
        kill();
        ExternalPrograms.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "redis-server at " + uri();
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private String log() {
        try {
            Path f = dir.resolve("redis.log");
            return Files.exists(f) ? Files.readString(f) : Files.readString(dir.resolve("stdout.log"));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    static String findBinary() {
        String chosen = System.getProperty("redis.server");
        if (chosen != null) return Files.isExecutable(Path.of(chosen)) ? chosen : null;
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                Path p = Path.of(d, "redis-server");
                if (Files.isExecutable(p)) return p.toString();
            }
        }
        for (String p : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
            if (Files.isExecutable(Path.of(p))) return p;
        }
        return null;
    }
}
