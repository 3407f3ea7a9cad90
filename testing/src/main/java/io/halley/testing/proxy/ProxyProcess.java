package io.halley.testing.proxy;

import io.halley.testing.ExternalPrograms;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One reverse-proxy process of the kit ({@link Nginx}, {@link Apache}) run in the foreground from
 * a temporary directory: started from a written config, waited for until its loopback port accepts
 * (10 s at most), its error log and output read for failure messages, and stopped with SIGTERM
 * (then killed with its children after 5 s) before the directory is removed. Not thread-safe;
 * owned by one test.
 */
final class ProxyProcess implements AutoCloseable {
    private static final long START_WAIT_SECONDS = 10;

    final int port;
    private final Path dir;
    private final Process process;

    private ProxyProcess(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
    }

    /**
     * Runs {@code command} (output to {@code logs/stdout.log} under {@code dir}) and waits until
     * {@code port} accepts.
     *
     * @throws IOException when it does not within 10 s or exits first; the message holds its
     *     log and {@code config}, and the process is stopped and {@code dir} removed
     */
    static ProxyProcess start(String name, int port, Path dir, List<String> command, String config) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        ProxyProcess started = new ProxyProcess(port, dir, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_WAIT_SECONDS);
        while (!started.accepts()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                String log = started.log();
                started.close();
                throw new IOException(name + " did not start on port " + port + ":\n" + log + "\nconfig:\n" + config);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                started.close();
                throw new IOException("interrupted while " + name + " started");
            }
        }
        return started;
    }

    /** {@code http://127.0.0.1:port}. */
    String origin() {
        return "http://127.0.0.1:" + port;
    }

    /** The error log and output so far. */
    String log() {
        StringBuilder b = new StringBuilder();
        for (String f : List.of("logs/error.log", "logs/stdout.log")) {
            try {
                b.append(Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // absent: nothing logged there
            }
        }
        return b.toString();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGTERM; after 5 s the process and its children are killed; then the directory goes. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ExternalPrograms.deleteQuietly(dir);
    }

    /** The first executable {@code name} in {@code dirs}, or null. */
    static String find(String name, List<String> dirs) {
        for (String d : dirs) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
