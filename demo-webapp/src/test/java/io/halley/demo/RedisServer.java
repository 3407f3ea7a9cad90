package io.halley.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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
 * A real {@code redis-server} for the scale-out test: a free loopback port, no persistence, a
 * temporary folder; every wait bounded. Without {@code redis-server} (on {@code PATH}, in
 * {@code /usr/bin} or {@code /usr/local/bin}) the test is skipped with a loud message, or fails
 * when the environment variable {@code CI} is {@code true}.
 */
final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final Process process;

    private RedisServer(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /** Starts a server and waits (10 s at most) until it answers PING. */
    static RedisServer start() throws IOException, InterruptedException {
        String binary = binary();
        if (binary == null) {
            String msg = "redis-server is not installed (looked on PATH and in /usr/bin, /usr/local/bin): the two-node"
                    + " demo test cannot run. Install it (apt-get install redis-server).";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(msg + " CI=true, so this is a failure.");
            System.err.println("!!!!!!!! SKIPPED: " + msg + " !!!!!!!!");
            Assumptions.abort(msg);
        }
        int port = BrowserTest.freePort();
        Path dir = Files.createTempDirectory("halley-demo-redis");
        Process p = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer r = new RedisServer(port, dir, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!r.ping()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("redis.log"));
                r.close();
                fail("redis-server on port " + port + " did not answer PING within 10 s: " + log);
            }
            Thread.sleep(20);
        }
        return r;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean ping() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = in.readNBytes(7);
            return new String(buf, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the server, waits (10 s at most) for it to end and deletes its folder. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }

    private static String binary() {
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
}
