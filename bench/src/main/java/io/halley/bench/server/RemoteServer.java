package io.halley.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in a JVM of its own: {@code java <flags> -cp <this jar> io.halley.bench.ServerMain
 * <kind>}, its output in {@code <report>/server-<kind>.log}, driven through its
 * {@link ControlEndpoint}. Closing asks it to quit, then kills it if it does not.
 */
public final class RemoteServer implements ServerHandle {
    private final String name;
    private final Process process;
    private final int port;
    private final int controlPort;
    private final long pid;
    private Socket control;
    private BufferedReader controlIn;
    private final List<String> command;

    private RemoteServer(String name, Process process, int port, int controlPort, long pid, List<String> command) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.controlPort = controlPort;
        this.pid = pid;
        this.command = command;
    }

    /**
     * Starts server {@code kind} with {@code jvmFlags} and waits (60 s at most) until it listens.
     * {@code launcher} goes before the java command ({@code taskset -c 1} to pin it; empty for none).
     */
    public static RemoteServer start(List<String> launcher, String java, String kind, List<String> jvmFlags, String classPath,
                                     Path logDir) throws IOException, InterruptedException {
        return start(launcher, java, kind, List.of(kind), jvmFlags, classPath, logDir);
    }

    /**
     * Starts a server named {@code kind} (its name in the report and its log files' name) as
     * {@code ServerMain <args>}, for example a node of the 3-node scenario, {@code node2} run as
     * {@code halley-node <redis-uri> node2}.
     */
    public static RemoteServer start(List<String> launcher, String java, String kind, List<String> args, List<String> jvmFlags,
                                     String classPath, Path logDir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ServerMain.class.getName());
        cmd.addAll(args);
        Path log = logDir.resolve("server-" + kind + ".log");
        Files.createDirectories(logDir);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) return line;
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            line = null;
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException(kind + " server did not start; see " + log + ": " + String.join(" ", cmd));
        }
        Thread drain = new Thread(() -> {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(logDir.resolve("server-" + kind + ".out")))) {
                String l;
                while ((l = out.readLine()) != null) w.println(l);
            } catch (IOException ignored) {
                // the process ended
            }
        }, "drain-" + kind);
        drain.setDaemon(true);
        drain.start();
        String[] f = line.split(" ");
        return new RemoteServer(kind, p, Integer.parseInt(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]), cmd);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public long pid() {
        return pid;
    }

    /** The command line that started it, for the report. */
    List<String> command() {
        return command;
    }

    @Override
    public long publish(int n, int size, long due) throws IOException {
        return Long.parseLong(call("PUB " + n + " " + size + " " + due));
    }

    @Override
    public Stats stats(boolean gc) throws IOException {
        return Stats.fromJson(call(gc ? "STATS gc" : "STATS"));
    }

    /** One request and its one-line answer on the control connection (opened on first use). */
    private synchronized String call(String request) throws IOException {
        if (control == null) {
            control = new Socket(InetAddress.getLoopbackAddress(), controlPort);
            control.setTcpNoDelay(true);
            control.setSoTimeout(180_000);
            controlIn = new BufferedReader(new InputStreamReader(control.getInputStream(), StandardCharsets.UTF_8));
        }
        control.getOutputStream().write((request + "\n").getBytes(StandardCharsets.UTF_8));
        control.getOutputStream().flush();
        String answer = controlIn.readLine();
        if (answer == null) throw new IOException(name + " server closed its control connection");
        if (answer.startsWith("ERR")) throw new IOException(name + " server: " + answer);
        return answer;
    }

    @Override
    public void close() {
        try {
            call("QUIT");
        } catch (IOException | RuntimeException e) {
            // killed below
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
