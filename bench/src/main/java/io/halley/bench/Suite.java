package io.halley.bench;

import io.halley.bench.load.CometdClients;
import io.halley.bench.load.NioClients;
import io.halley.bench.micro.Micro;
import io.halley.bench.report.Report;
import io.halley.bench.report.SystemCpu;
import io.halley.bench.report.Targets;
import io.halley.bench.scenario.Scenarios;
import io.halley.bench.server.GcLog;
import io.halley.bench.server.HalleyServer;
import io.halley.bench.server.RemoteServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark suite: {@code java -jar bench/target/halley-bench.jar [--quick|--full] [options]}.
 *
 * <p>For each server (Halley, the limit, CometD) in turn it starts the server in a JVM of its own
 * ({@code java -Xms.. -Xmx.. -XX:+UseG1GC -Xlog:gc:... -cp <this jar> io.halley.bench.ServerMain <kind>}),
 * runs every scenario against it from this process, and stops it; then the JMH benchmarks; then
 * writes {@code bench.md} and {@code bench.html}. Exits 1 when any scenario lost a message or
 * failed, 2 on bad arguments.
 *
 * <pre>
 *   --quick | --full        sizes (default full; quick takes under ~3 minutes)
 *   --smoke[=N]             N connections everywhere, second-long windows (development)
 *   --servers=a,b           subset of halley,limit,cometd
 *   --scenarios=a,b         subset of idle,fanout,latency,transports,jmh
 *   --out=DIR               report directory (default: report/ beside the jar)
 *   --heap=SIZE             server -Xmx (default 4g; -Xms512m)
 *   --java=PATH             java for the servers and the JMH fork (default: this one)
 *   --jfr=a,b               record a JFR profile of these servers into the report directory
 *   --client-threads=N      selector threads of the load generator (default 2)
 *   --server-opts="..."     more JVM flags for the servers (profiling)
 * </pre>
 */
public final class Suite {
    private static final List<String> ALL_SERVERS = List.of(Report.HALLEY, Report.LIMIT, Report.COMETD);
    private static final List<String> ALL_SCENARIOS = List.of("idle", "fanout", "latency", "transports", "jmh");

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.full();
        Set<String> servers = new LinkedHashSet<>(ALL_SERVERS);
        Set<String> scenarios = new LinkedHashSet<>(ALL_SCENARIOS);
        Path out = null;
        String heap = "4g";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        boolean javaGiven = false;
        Set<String> jfr = new LinkedHashSet<>();
        int clientThreads = 2;
        List<String> extraFlags = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--quick")) plan = Plan.quick();
            else if (a.equals("--full")) plan = Plan.full();
            else if (a.startsWith("--smoke")) plan = Plan.smoke(a.contains("=") ? Integer.parseInt(value(a)) : 100);
            else if (a.startsWith("--servers=")) servers = pick(a, ALL_SERVERS);
            else if (a.startsWith("--scenarios=")) scenarios = pick(a, ALL_SCENARIOS);
            else if (a.startsWith("--out=")) out = Path.of(value(a));
            else if (a.startsWith("--heap=")) heap = value(a);
            else if (a.startsWith("--java=")) {
                java = value(a);
                javaGiven = true;
            } else if (a.startsWith("--jfr=")) jfr = pick(a, ALL_SERVERS);
            else if (a.startsWith("--client-threads=")) clientThreads = Integer.parseInt(value(a));
            else if (a.startsWith("--server-opts=")) extraFlags.addAll(Arrays.asList(value(a).trim().split("\\s+")));
            else {
                System.err.println("unknown argument " + a + "\n" + usage());
                System.exit(2);
            }
        }
        if (out == null) out = defaultOut();
        Files.createDirectories(out);
        int exit = run(plan, servers, scenarios, out, heap, java, javaGiven, jfr, clientThreads, extraFlags);
        System.exit(exit);
    }

    private static String usage() {
        return "usage: java -jar halley-bench.jar [--quick|--full] [--servers=halley,limit,cometd] "
                + "[--scenarios=idle,fanout,latency,transports,jmh] [--out=DIR] [--heap=4g] [--java=PATH] [--jfr=halley] "
                + "[--client-threads=2] [--server-opts=\"-XX:...\"]";
    }

    private static String value(String arg) {
        return arg.substring(arg.indexOf('=') + 1);
    }

    private static Set<String> pick(String arg, List<String> allowed) {
        Set<String> s = new LinkedHashSet<>();
        for (String v : value(arg).split(",")) {
            if (v.isBlank()) continue;
            if (!allowed.contains(v)) {
                System.err.println("unknown value " + v + " in " + arg + " (allowed: " + allowed + ")");
                System.exit(2);
            }
            s.add(v);
        }
        return s;
    }

    /** {@code report/} beside the jar ({@code bench/target/report} for {@code bench/target/halley-bench.jar}). */
    private static Path defaultOut() {
        try {
            Path jar = Path.of(Suite.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar)) return jar.toAbsolutePath().getParent().resolve("report");
        } catch (Exception ignored) {
            // fall through
        }
        return Path.of("bench", "target", "report");
    }

    static int run(Plan plan, Set<String> servers, Set<String> scenarios, Path out, String heap, String java, boolean javaGiven,
                   Set<String> jfr, int clientThreads, List<String> extraFlags) throws Exception {
        long began = System.nanoTime();
        String loadAtStart = SystemCpu.loadAverage();
        Report report = new Report();
        report.mode = plan.name();
        environment(report, java, javaGiven, clientThreads);
        String classPath = System.getProperty("java.class.path");
        Scenarios.Log log = line -> System.err.printf(Locale.ROOT, "[%5.0fs] %s%n", (System.nanoTime() - began) / 1e9, line);
        log.line("Halley bench (" + plan.name() + "): servers " + servers + ", scenarios " + scenarios + ", report in " + out);
        Scenarios.ClientFactory factory = (s, target) -> s.name().equals(Report.COMETD)
                ? new CometdClients(s.port())
                : new NioClients(s.port(), s.name().equals(Report.LIMIT) ? NioClients.Target.LIMIT_SSE : target, clientThreads);
        Scenarios sc = new Scenarios(plan, report, factory, log);
        if (!plan.name().equals("smoke") && (scenarios.contains("fanout") || scenarios.contains("latency")
                || scenarios.contains("transports"))) {
            warmUp(java, classPath, heap, out, factory, plan, log);
        }
        for (String kind : servers) {
            List<String> flags = serverFlags(kind, heap, out, jfr.contains(kind));
            flags.addAll(extraFlags);
            report.jvms.put(kind + " server JVM", String.join(" ", flags));
            Files.deleteIfExists(out.resolve("gc-" + kind + ".log"));
            RemoteServer server;
            try {
                server = RemoteServer.start(java, kind, flags, classPath, out);
            } catch (IOException e) {
                report.error(kind + ": " + e.getMessage());
                log.line(e.getMessage());
                continue;
            }
            log.line(kind + " server up on port " + server.port() + " (pid " + server.pid() + ")");
            try {
                if (scenarios.contains("idle")) step(report, log, kind, "idle", () -> sc.idle(server));
                if (scenarios.contains("fanout")) step(report, log, kind, "fan-out", () -> sc.fanOut(server));
                if (scenarios.contains("latency")) step(report, log, kind, "latency", () -> sc.latency(server));
                if (scenarios.contains("transports") && kind.equals(Report.HALLEY)) {
                    step(report, log, kind, "transports", () -> sc.transports(server));
                }
            } finally {
                server.close();
            }
            report.jvms.put(kind + " GC", GcLog.summary(out.resolve("gc-" + kind + ".log")));
        }
        sc.copyTransportReferences();
        if (scenarios.contains("jmh")) {
            log.line("JMH microbenchmarks");
            try {
                Micro.run(plan, report, javaGiven ? java : null);
            } catch (Exception e) {
                report.error("JMH: " + e);
                log.line("JMH failed: " + e);
            }
        }
        Targets.evaluate(plan, report);
        notes(report, plan);
        report.environment.put("suite duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - began) / 1e9));
        report.environment.put("load average (1, 5, 15 min) at the start / end", loadAtStart + " / " + SystemCpu.loadAverage());
        report.write(out);
        log.line("report: " + out.resolve("bench.md") + " and " + out.resolve("bench.html"));
        System.out.println(report.table());
        if (report.failed()) {
            log.line("FAILED: a scenario lost messages or failed; see the report");
            return 1;
        }
        return 0;
    }

    /**
     * Warms the load generator with an unrecorded fan-out against a throwaway limit server, so
     * that whichever server is measured first meets a warm client (the limit and CometD used to
     * run after Halley and so always did).
     */
    private static void warmUp(String java, String classPath, String heap, Path out, Scenarios.ClientFactory factory, Plan plan,
                               Scenarios.Log log) {
        Scenarios throwaway = new Scenarios(plan, new Report(), factory, log);
        try (RemoteServer server = RemoteServer.start(java, Report.LIMIT, serverFlags(Report.LIMIT, heap, out, false), classPath, out)) {
            throwaway.warmUpLoadGenerator(server);
        } catch (Exception e) {
            log.line("load generator warm-up failed (the run goes on): " + e);
        }
        try {
            Files.deleteIfExists(out.resolve("gc-" + Report.LIMIT + ".log"));
        } catch (IOException ignored) {
            // the limit's own run replaces it
        }
    }

    /** One scenario for one server; an exception marks the report and the suite goes on. */
    private static void step(Report report, Scenarios.Log log, String kind, String what, Step s) {
        try {
            s.run();
        } catch (Exception e) {
            report.error(kind + " " + what + ": " + e);
            log.line(kind + " " + what + " failed: " + e);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    /** The server JVM's flags: fixed heap bounds, G1 (the default collector, chosen for pause times), GC log. */
    static List<String> serverFlags(String kind, String heap, Path out, boolean jfr) {
        List<String> f = new ArrayList<>(Arrays.asList("-Xms512m", "-Xmx" + heap, "-XX:+UseG1GC",
                "-Xlog:gc:file=" + out.resolve("gc-" + kind + ".log").toAbsolutePath() + ":uptime",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        if (jfr) {
            f.add("-XX:StartFlightRecording=filename=" + out.resolve(kind + ".jfr").toAbsolutePath() + ",settings=profile,dumponexit=true");
        }
        return f;
    }

    private static void environment(Report report, String java, boolean javaGiven, int clientThreads) {
        report.environment.put("date", ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")));
        report.environment.put("cpus", Integer.toString(Runtime.getRuntime().availableProcessors()));
        report.environment.put("memory", memory());
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        if (javaGiven) jdk = javaVersion(java) + " (servers, JMH); " + jdk + " (clients)";
        report.environment.put("jdk", jdk);
        report.environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        report.environment.put("open files per process", openFiles());
        report.environment.put("load generator", "this JVM: NIO, " + clientThreads
                + " selector threads (Halley, limit); CometD's Java client, WebSocket transport (CometD)");
    }

    private static String memory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        return "?";
    }

    private static String openFiles() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (l.startsWith("Max open files")) return l.replaceAll("\\s+", " ").replace("Max open files ", "").trim();
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown
        }
        return "?";
    }

    private static String javaVersion(String java) {
        try {
            Process p = new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            String[] lines = s.split("\n");
            return lines.length > 1 ? lines[1].trim() : s.trim();
        } catch (IOException | InterruptedException e) {
            return java;
        }
    }

    private static void notes(Report report, Plan plan) {
        report.notes.add("Every client subscribes to one channel. Halley: a page per connection (POST /halley/page: its own "
                + "HALLEY_BROWSER cookie and page, no HTTP session, subscribed server-side by a PageListener), then GET /halley/sse on the same connection; "
                + "the limit: GET /sse; CometD: handshake, /meta/connect and subscribe over one WebSocket.");
        report.notes.add("Before the first server, the load generator runs one unrecorded fan-out against a throwaway limit "
                + "server, so that the first server measured does not meet a cold client (it used to come out 20-40% lower).");
        report.notes.add("Fan-out: " + plan.size() + "-byte messages published in batches of " + plan.batch()
                + " whenever the slowest subscriber is within " + (plan.window() - plan.batch()) + " messages of the last one "
                + "published (window " + plan.window() + "); rate = messages received by all subscribers per second over "
                + plan.measure().toSeconds() + " s after " + plan.warmup().toSeconds() + " s of warm-up.");
        report.notes.add("Latency: each message carries System.nanoTime() taken just before the server's publish call; clients "
                + "and servers run on one Linux box and share CLOCK_MONOTONIC. The time includes the fan-out loop, the "
                + "writes and the client's own reading.");
        report.notes.add("Heap per connection: heap in use after full GCs with N connections held, minus the same with none, "
                + "divided by N (the server's own MemoryMXBean). RSS likewise from /proc/<pid>/status VmRSS (it includes "
                + "heap the collector has grown into). CPU: process CPU time over the idle window.");
        report.notes.add("All processes share the machine's cores: the load generator competes with the server, and CometD's "
                + "Java client parses every message as JSON, so CometD's rates include more client work than the others'.");
        report.notes.add("Server JVMs: the same flags for all three (listed below): G1, the JDK's default collector, kept because "
                + "the latency scenario measures pauses and G1 bounds them; -Xms512m and -Xmx as --heap; every GC pause is logged "
                + "(-Xlog:gc) to gc-<server>.log beside this report and summarised below. Jetty: the same 200-thread pool, "
                + "connector and HttpConfiguration (header field cache off, see Jetty.java) on all three.");
        report.notes.add("Halley runs with pageLease " + HalleyServer.LEASE.toSeconds() + " s (default 20 s) so that the pages "
                + "of one scenario's closed clients are gone before the next, and maxHeldConnections 40,000 (default 10,000).");
    }
}
