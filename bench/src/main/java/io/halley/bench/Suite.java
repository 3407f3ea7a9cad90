package io.halley.bench;

import io.halley.bench.cluster.Cluster;
import io.halley.bench.cluster.RedisProcess;
import io.halley.bench.load.CometdClients;
import io.halley.bench.load.NioClients;
import io.halley.bench.load.WsClients;
import io.halley.bench.micro.Micro;
import io.halley.bench.report.Report;
import io.halley.bench.report.SystemCpu;
import io.halley.bench.report.Targets;
import io.halley.bench.scenario.Scenarios;
import io.halley.bench.server.GcLog;
import io.halley.bench.server.HalleyServer;
import io.halley.bench.server.RemoteServer;
import io.halley.bench.server.ServerHandle;
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
 * <p>It starts every server (the limit, Halley, CometD over WebSocket, CometD over long-polling,
 * Spring's SseEmitter) at once, each in a JVM of its own on its own port ({@code java -Xms.. -Xmx..
 * -XX:+UseG1GC -Xlog:gc:... -cp <this jar> io.halley.bench.ServerMain <kind>}), warms each up with
 * unrecorded fan-outs until each transport settles, then runs each scenario in {@code --trials} rounds over the
 * servers in rotation from this process; then the JMH benchmarks; then writes {@code bench.md}
 * and {@code bench.html}, each cell the median of its trials with their range. Exits 1 when any scenario lost a message or
 * failed, 2 on bad arguments.
 *
 * <pre>
 *   --quick | --full        sizes (default full; quick takes under ~3 minutes)
 *   --smoke[=N]             N connections everywhere, second-long windows (development)
 *   --servers=a,b           subset of limit,halley,cometd,cometd-lp,spring,atmosphere (also the rotation order)
 *   --trials=N              recorded trials per scenario and server (default: full 5, quick 3, smoke 2)
 *   --pin                   taskset: the servers on core 1, the load generator on core 0
 *   --no-isolate            leave the other servers running during a trial (default: stopped, {@link Bystanders})
 *   --scenarios=a,b         subset of idle,fanout,latency,transports,ws,nodes,jmh
 *   --only=a,b              these scenarios alone, on just the servers they need (ws: halley, limit, cometd;
 *                           nodes: halley and the 3 nodes), unless --servers says otherwise
 *   --out=DIR               report directory (default: report/ beside the jar)
 *   --heap=SIZE             server -Xmx (default 4g; -Xms512m)
 *   --java=PATH             java for the servers and the JMH fork (default: this one)
 *   --jfr=a,b               record a JFR profile of these servers into the report directory
 *   --client-threads=N      selector threads of the load generator (default 2)
 *   --server-opts="..."     more JVM flags for the servers (profiling)
 * </pre>
 */
public final class Suite {
    /** Every server, in the default rotation order. */
    private static final List<String> ALL_SERVERS = List.of(Report.LIMIT, Report.HALLEY, Report.COMETD, Report.COMETD_LP, Report.SPRING,
            Report.ATMOSPHERE);
    private static final List<String> ALL_SCENARIOS = List.of("idle", "fanout", "latency", "transports", "ws", "nodes", "jmh");
    /** The servers with a WebSocket in the bench: Halley's /halley/ws, the limit's /ws, CometD's transport. */
    private static final Set<String> WS_SERVERS = Set.of(Report.HALLEY, Report.LIMIT, Report.COMETD);
    /** How many Halley nodes the 3-node scenario starts on its redis-server. */
    static final int NODES = 3;

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
        Integer trials = null;
        boolean pin = false;
        boolean isolate = true;
        boolean serversGiven = false;
        Set<String> only = null;
        for (String a : args) {
            if (a.equals("--quick")) plan = Plan.quick();
            else if (a.equals("--full")) plan = Plan.full();
            else if (a.startsWith("--smoke")) plan = Plan.smoke(a.contains("=") ? Integer.parseInt(value(a)) : 100);
            else if (a.startsWith("--servers=")) {
                servers = pick(a, ALL_SERVERS);
                serversGiven = true;
            } else if (a.startsWith("--only=")) only = pick(a, ALL_SCENARIOS);
            else if (a.startsWith("--scenarios=")) scenarios = pick(a, ALL_SCENARIOS);
            else if (a.startsWith("--out=")) out = Path.of(value(a));
            else if (a.startsWith("--heap=")) heap = value(a);
            else if (a.startsWith("--java=")) {
                java = value(a);
                javaGiven = true;
            } else if (a.startsWith("--jfr=")) jfr = pick(a, ALL_SERVERS);
            else if (a.startsWith("--client-threads=")) clientThreads = Integer.parseInt(value(a));
            else if (a.startsWith("--trials=")) trials = Integer.parseInt(value(a));
            else if (a.equals("--pin")) pin = true;
            else if (a.equals("--no-isolate")) isolate = false;
            else if (a.startsWith("--server-opts=")) extraFlags.addAll(Arrays.asList(value(a).trim().split("\\s+")));
            else {
                System.err.println("unknown argument " + a + "\n" + usage());
                System.exit(2);
            }
        }
        if (only != null) {
            scenarios = only;
            if (!serversGiven) servers = serversFor(only);
        }
        if (out == null) out = defaultOut();
        Files.createDirectories(out);
        int t = trials != null ? trials : plan.trials();
        if (t < 1) {
            System.err.println("--trials must be at least 1\n" + usage());
            System.exit(2);
        }
        int exit = run(plan, new Options(servers, scenarios, out, heap, java, javaGiven, jfr, clientThreads, extraFlags, t, pin, isolate));
        System.exit(exit);
    }

    /** The servers that {@code --only}'s scenarios need, in the default rotation order. */
    static Set<String> serversFor(Set<String> scenarios) {
        Set<String> need = new LinkedHashSet<>();
        for (String sc : scenarios) {
            switch (sc) {
                case "ws":
                    need.addAll(WS_SERVERS);
                    break;
                case "nodes":
                case "transports":
                    need.add(Report.HALLEY); // the single node beside the cluster; Halley's transports
                    break;
                case "jmh":
                    break;
                default:
                    need.addAll(ALL_SERVERS);
            }
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String s : ALL_SERVERS) if (need.contains(s)) ordered.add(s);
        return ordered;
    }

    private static String usage() {
        return "usage: java -jar halley-bench.jar [--quick|--full] [--servers=halley,limit,cometd] "
                + "[--scenarios=idle,fanout,latency,transports,ws,nodes,jmh] [--only=ws,nodes] [--out=DIR] [--heap=4g] [--java=PATH] [--jfr=halley] "
                + "[--client-threads=2] [--server-opts=\"-XX:...\"] [--trials=5] [--pin] [--no-isolate] [--smoke[=N]]";
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

    /** What the command line asked for besides the plan. */
    record Options(Set<String> servers, Set<String> scenarios, Path out, String heap, String java, boolean javaGiven,
                   Set<String> jfr, int clientThreads, List<String> extraFlags, int trials, boolean pin, boolean isolate) {
    }

    static int run(Plan plan, Options o) throws Exception {
        long began = System.nanoTime();
        String loadAtStart = SystemCpu.loadAverage();
        Report report = new Report();
        report.mode = plan.name();
        report.trials = o.trials();
        environment(report, o.java(), o.javaGiven(), o.clientThreads());
        Scenarios.Log log = line -> System.err.printf(Locale.ROOT, "[%5.0fs] %s%n", (System.nanoTime() - began) / 1e9, line);
        List<String> launcher = List.of();
        if (o.pin()) {
            String why = Pinning.pinThisProcess(Pinning.LOAD_CORE);
            if (why != null) {
                System.err.println("--pin: " + why);
                return 2;
            }
            launcher = Pinning.launcher(Pinning.SERVER_CORE);
            report.environment.put("pinning", "Pinned (--pin): every server JVM on core " + Pinning.SERVER_CORE + " (taskset -c "
                    + Pinning.SERVER_CORE + "), the load generator (this JVM, all its threads) on core " + Pinning.LOAD_CORE
                    + "; the JMH fork is not pinned.");
        } else {
            report.environment.put("pinning", "Not pinned: servers and the load generator share every core (--pin separates them).");
        }
        report.environment.put("isolation", o.isolate()
                ? "During each recorded trial every other server process of the run (the other server JVMs; the 3-node scenario's "
                + "nodes and redis-server) is stopped (SIGSTOP) and continued (SIGCONT) after it, with " + Bystanders.SETTLE_MILLIS
                + " ms to settle before the next trial; warm-ups run with all of them up (--no-isolate leaves them running)."
                : "Not isolated (--no-isolate): the other servers stay up, idle, during each trial.");
        report.environment.put("trials", o.trials() + " recorded trial" + (o.trials() == 1 ? "" : "s")
                + " per scenario and server" + (!plan.name().equals("full") && o.trials() < 5 ? " (" + plan.name()
                + " mode: fewer than the full run's 5)" : "")
                + ", the servers up side by side on their own ports and the trials in rotation (trial t starts with the t-th server);"
                + (plan.name().equals("smoke") ? " no warm-up (smoke mode: the first trials run on cold JVMs)."
                : " before the first recorded trial every server is warmed up with unrecorded fan-outs (its transports in turn, "
                + plan.serverWarmup().toSeconds() + " s at least and until each one's CPU per delivery settles)."));
        String classPath = System.getProperty("java.class.path");
        log.line("Halley bench (" + plan.name() + ", " + o.trials() + " trials" + (o.pin() ? ", pinned" : "") + "): servers "
                + o.servers() + ", scenarios " + o.scenarios() + ", report in " + o.out());
        Scenarios.ClientFactory factory = (s, target) -> {
            if (s.name().equals(Report.COMETD)) return new CometdClients(s.port());
            if (s instanceof Cluster) return new NioClients(((Cluster) s).ports(), target, o.clientThreads());
            if (target.transport.equals("ws")) return new WsClients(s.port(), target == NioClients.Target.HALLEY_WS, o.clientThreads());
            return new NioClients(s.port(), target, o.clientThreads());
        };
        Scenarios sc = new Scenarios(plan, report, factory, log);
        List<RemoteServer> up = new ArrayList<>();
        Cluster cluster = null;
        try {
            for (String kind : o.servers()) {
                List<String> flags = serverFlags(kind, o.heap(), o.out(), o.jfr().contains(kind));
                flags.addAll(o.extraFlags());
                report.jvms.put(kind + " server JVM", (launcher.isEmpty() ? "" : String.join(" ", launcher) + " ") + String.join(" ", flags));
                Files.deleteIfExists(o.out().resolve("gc-" + kind + ".log"));
                try {
                    RemoteServer server = RemoteServer.start(launcher, o.java(), kind, flags, classPath, o.out());
                    up.add(server);
                    log.line(kind + " server up on port " + server.port() + " (pid " + server.pid() + ")");
                } catch (IOException e) {
                    report.error(kind + ": " + e.getMessage());
                    log.line(e.getMessage());
                }
            }
            Set<String> sn = o.scenarios();
            if (sn.contains("nodes")) cluster = startCluster(report, log, launcher, o, classPath);
            List<ServerHandle> everyone = new ArrayList<>(up);
            if (cluster != null) everyone.add(cluster);
            Isolation iso = o.isolate() ? s -> Bystanders.stop(everyone, s, log) : s -> Bystanders.none();
            boolean ws = sn.contains("ws");
            if (!plan.name().equals("smoke") && (sn.contains("fanout") || sn.contains("latency") || sn.contains("transports") || ws
                    || sn.contains("nodes"))) {
                for (RemoteServer s : up) step(report, log, s.name(), "warm-up", () -> sc.warmUp(s, ws));
                Cluster c = cluster;
                if (c != null) step(report, log, c.name(), "warm-up", () -> sc.warmUpShared(c, NODES));
            }
            // The throughput scenarios first, the idle ones last: an idle trial ends in full GCs and a
            // minute without load, and the first fan-out after it on that server came out at 2 to 10
            // times the CPU per delivery of the next (Halley's ws rows); nothing measured follows them.
            if (sn.contains("fanout")) rotate(report, log, iso, up, o.trials(), "fan-out", s -> true, sc::fanOut);
            if (sn.contains("latency")) rotate(report, log, iso, up, o.trials(), "latency", s -> true, sc::latency);
            if (sn.contains("transports")) {
                rotate(report, log, iso, up, o.trials(), "transports", s -> s.name().equals(Report.HALLEY), sc::transports);
            }
            java.util.function.Predicate<ServerHandle> hasWs = s -> WS_SERVERS.contains(s.name());
            if (ws) {
                rotate(report, log, iso, up, o.trials(), "ws fan-out", hasWs, sc::wsFanOut);
                rotate(report, log, iso, up, o.trials(), "ws latency", hasWs, sc::wsLatency);
            }
            if (cluster != null) {
                List<ServerHandle> both = new ArrayList<>();
                for (RemoteServer s : up) if (s.name().equals(Report.HALLEY)) both.add(s);
                if (both.isEmpty()) log.line("3 nodes: no single Halley server in --servers, so no single-node column beside the cluster");
                both.add(cluster);
                rotate(report, log, iso, both, o.trials(), "3 nodes fan-out", s -> true, sc::nodesFanOut);
                rotate(report, log, iso, both, o.trials(), "3 nodes latency", s -> true, sc::nodesLatency);
            }
            if (sn.contains("idle")) rotate(report, log, iso, up, o.trials(), "idle", s -> true, sc::idle);
            if (ws) rotate(report, log, iso, up, o.trials(), "ws idle", hasWs, sc::wsIdle);
        } finally {
            for (RemoteServer s : up) s.close();
            if (cluster != null) cluster.close();
        }
        for (RemoteServer s : up) report.jvms.put(s.name() + " GC", GcLog.summary(o.out().resolve("gc-" + s.name() + ".log")));
        if (cluster != null) {
            for (ServerHandle n : cluster.nodes()) {
                report.jvms.put(n.name() + " (3-node scenario) GC", GcLog.summary(o.out().resolve("gc-" + n.name() + ".log")));
            }
        }
        sc.copyTransportReferences();
        if (o.scenarios().contains("jmh")) {
            log.line("JMH microbenchmarks");
            try {
                Micro.run(plan, report, o.javaGiven() ? o.java() : null);
            } catch (Exception e) {
                report.error("JMH: " + e);
                log.line("JMH failed: " + e);
            }
        }
        Targets.evaluate(plan, report);
        notes(report, plan);
        report.environment.put("suite duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - began) / 1e9));
        report.environment.put("load average (1, 5, 15 min) at the start / end", loadAtStart + " / " + SystemCpu.loadAverage());
        report.write(o.out());
        log.line("report: " + o.out().resolve("bench.md") + " and " + o.out().resolve("bench.html"));
        System.out.println(report.table());
        if (report.failed()) {
            log.line("FAILED: a scenario lost messages or failed; see the report");
            return 1;
        }
        return 0;
    }

    /**
     * The 3-node scenario's system: a redis-server and {@link #NODES} Halley node JVMs on it, or
     * null (and a loud SKIPPED line in the report, not a failure) when redis-server is missing.
     */
    private static Cluster startCluster(Report report, Scenarios.Log log, List<String> launcher, Options o, String classPath) {
        String binary = RedisProcess.find();
        if (binary == null) {
            String why = "the 3-node scenario (Halley nodes on one Redis): redis-server was not found (-Dredis.server, PATH, "
                    + "/usr/bin, /usr/local/bin); install it (apt-get install redis-server) to measure it";
            report.skipped.add(why);
            log.line("SKIPPED " + why);
            return null;
        }
        RedisProcess redis = null;
        try {
            redis = RedisProcess.start(binary);
            log.line("redis-server for the 3-node scenario on " + redis.uri() + " (pid " + redis.pid() + ")");
            Cluster c = Cluster.start(redis, NODES, (node, uri) -> {
                List<String> flags = serverFlags(node, o.heap(), o.out(), false);
                flags.addAll(o.extraFlags());
                report.jvms.put(node + " (3-node scenario) JVM", (launcher.isEmpty() ? "" : String.join(" ", launcher) + " ")
                        + String.join(" ", flags) + " … ServerMain halley-node " + uri + " " + node);
                RemoteServer s = RemoteServer.start(launcher, o.java(), node, List.of("halley-node", uri, node), flags, classPath, o.out());
                log.line(node + " (Halley on Redis) up on port " + s.port() + " (pid " + s.pid() + ")");
                return s;
            });
            report.environment.put("3-node scenario", NODES + " Halley node JVMs (RedisHub, RedisChannelHistory, RedisQueue, "
                    + "default RedisSettings) on one redis-server " + redisVersion(binary) + " (no persistence), publishing on node 1");
            return c;
        } catch (Exception e) {
            if (redis != null) redis.close();
            report.error("3 nodes: " + e.getMessage());
            log.line("3 nodes: " + e);
            return null;
        }
    }

    private static String redisVersion(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            int at = v.indexOf("v=");
            return at < 0 ? v : v.substring(at + 2, v.indexOf(' ', at) < 0 ? v.length() : v.indexOf(' ', at));
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    /**
     * A scenario on the servers that {@code which} accepts, {@code trials} rounds, round t starting
     * with the t-th server; the others of the run stand by as {@code iso} says during each trial.
     */
    private static void rotate(Report report, Scenarios.Log log, Isolation iso, List<? extends ServerHandle> up, int trials, String what,
                               java.util.function.Predicate<ServerHandle> which, ScenarioRun run) {
        List<ServerHandle> these = new ArrayList<>();
        for (ServerHandle s : up) if (which.test(s)) these.add(s);
        for (int t = 0; t < trials; t++) {
            for (int i = 0; i < these.size(); i++) {
                ServerHandle s = these.get((t + i) % these.size());
                log.line(what + " trial " + (t + 1) + "/" + trials + " on " + s.name());
                try (Bystanders others = iso.standBy(s)) {
                    step(report, log, s.name(), what, () -> run.run(s));
                }
            }
        }
    }

    /** What happens to the other servers while a trial runs on {@code s}. */
    private interface Isolation {
        Bystanders standBy(ServerHandle s);
    }

    private interface ScenarioRun {
        void run(ServerHandle s) throws Exception;
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

    /**
     * The server JVM's flags: fixed heap bounds, G1 (the default collector, chosen for pause
     * times), GC log. {@code MaxHeapFreeRatio=100}: a heap never shrinks after the idle scenario's
     * {@code System.gc()}; without it G1 gave the heap back down to -Xms, and the next fan-out on
     * that server paid for growing it again (a young collection every 0.15 s instead of every
     * 0.5 s, and fresh pages to fault in): Halley's first ws fan-out after the ws idle trials ran
     * at 2 to 10 times the CPU per delivery of the next.
     */
    static List<String> serverFlags(String kind, String heap, Path out, boolean jfr) {
        List<String> f = new ArrayList<>(Arrays.asList("-Xms512m", "-Xmx" + heap, "-XX:MaxHeapFreeRatio=100", "-XX:+UseG1GC",
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
                + " selector threads (Halley, limit; WebSocket: RFC 6455 on NIO, WsClients); CometD's Java client, WebSocket transport (CometD)");
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
        report.notes.add("Warm-up: before the first recorded trial every server runs unrecorded fan-outs, each of its transports "
                + "(Halley: sse, iframe, poll, and ws when the ws scenario runs) in turn, for " + plan.serverWarmup().toSeconds()
                + " s at least and until each transport is settled: two consecutive windows within 15 % of each other in server "
                + "CPU per million deliveries (at most 8 rounds; the log names a transport that never settled). No recorded trial "
                + "meets a cold server JVM or a cold load generator. This was the cause of the slow first rows: a fresh server JVM "
                + "needs about 20 s of fan-out on two shared cores before the JIT has compiled its fan-out and write paths (its CPU "
                + "per delivery fell from ~1.5 µs to ~0.5 µs over four back-to-back trials), and Halley's WebSocket path takes "
                + "longer still (1.25 µs, 0.75, 0.54, then 0.39 over back-to-back windows), so a fixed warm-up of one window per "
                + "transport left its first recorded ws trials at up to 5× the CPU of the later ones.");
        report.notes.add("CometD (long-polling): CometDServlet from cometd-java-server-http-jakarta on the same ee10 Jetty, "
                + "JSONHttpTransport only, read by the NIO load generator speaking Bayeux (handshake, subscribe, then one held "
                + "/meta/connect after another); maxInterval 8 s. Spring: a plain Spring MVC 6.2 application (DispatcherServlet, "
                + "@EnableWebMvc, no Boot) whose GET /sse returns an SseEmitter; a publish sends each emitter the batch as one "
                + "send(Set) from the publishing thread; read by the NIO load generator like the limit.");
        report.notes.add("Server CPU per million deliveries: the server process's own CPU time (getProcessCpuTime over the "
                + "control port, read at the start and end of exactly the measured window) divided by the messages all "
                + "subscribers received in that window, in ms per million (= ns per delivery). It compares servers even when "
                + "the load generator bounds the rate.");
        report.notes.add("Fan-out: " + plan.size() + "-byte messages published in batches of " + plan.batch()
                + " whenever the slowest subscriber is within " + (plan.window() - plan.batch()) + " messages of the last one "
                + "published (window " + plan.window() + "); rate = messages received by all subscribers per second over "
                + plan.measure().toSeconds() + " s after " + plan.warmup().toSeconds() + " s of warm-up.");
        report.notes.add("Latency: the suite publishes on a fixed schedule (" + plan.latencyRate() + "/s, one message per call) and "
                + "each message carries the System.nanoTime() it was due at, not the time its publish call began: a server "
                + "whose publish call blocks until its fan-out is done (the limit, Spring) delays the next call, and that wait "
                + "now counts in the next message's latency, as the queue inside a server whose publish returns at once (Halley) "
                + "always did (coordinated omission; until 2026-12-07 the stamp was taken inside the call and such a server's "
                + "backlog went unmeasured). The published rate is the real one (calls over the time until the last returned); "
                + "clients and servers run on one Linux box and share CLOCK_MONOTONIC. The time includes the fan-out loop, the "
                + "writes and the client's own reading. After the subscribers connect, " + plan.latencySettle().toSeconds()
                + " s of broadcasts at the same rate are not recorded (settling: the young collections that copy what "
                + String.format(java.util.Locale.ROOT, "%,d", plan.latencySubscribers()) + " fresh connections allocated took 200-430 ms on one core, in the limit as in Halley, and fell inside "
                + "the recorded window when it began 1 s after connecting); then " + plan.latencyDuration().toSeconds()
                + " s are recorded. Then, on the same connections, " + plan.latencySustainedRate() + " broadcasts/s (3 s settling, "
                + plan.latencyDuration().toSeconds() + " s recorded): a rate every server here keeps up with. A latency target "
                + "against a server that fell below 90 % of a window's rate reads 'not comparable'.");
        report.notes.add("Heap per connection: heap in use after full GCs with N connections held, minus the same with none, "
                + "divided by N (the server's own MemoryMXBean). RSS likewise from /proc/<pid>/status VmRSS (it includes "
                + "heap the collector has grown into, so it steps by whole regions, and direct buffers Jetty's pool kept "
                + "from an earlier trial, so it shrinks in later trials: it does not compare). Direct buffers: the JVM's live "
                + "direct ByteBuffers (the direct BufferPoolMXBean) after Jetty's buffer pool was emptied of those no "
                + "connection holds and full GCs, the delta divided by N: a held response keeps its output buffer until it "
                + "completes (32 KiB at Jetty's default outputBufferSize). Heap + direct buffers is what a connection keeps "
                + "resident beyond the kernel's socket buffers, once the heap is sized to what is live; the RSS target is judged on it. CPU: process CPU time over the idle window.");
        report.notes.add("All processes share the machine's cores: the load generator competes with the server, and CometD's "
                + "Java client parses every message as JSON, so CometD's rates include more client work than the others'.");
        report.notes.add("Server JVMs: the same flags for all three (listed below): G1, the JDK's default collector, kept because "
                + "the latency scenario measures pauses and G1 bounds them; -Xms512m and -Xmx as --heap, and -XX:MaxHeapFreeRatio=100 so that a heap never "
                + "shrinks after the idle scenario's System.gc() (the next fan-out would pay for growing it again); every GC pause is logged "
                + "(-Xlog:gc) to gc-<server>.log beside this report and summarised below. Jetty: the same 200-thread pool, "
                + "connector and HttpConfiguration (header field cache off, see Jetty.java) on all three.");
        report.notes.add("WebSocket rows (ws …): Halley's /halley/ws (POST /halley/page, then the upgrade on the same connection, "
                + "frames as one JSON-array text message per batch), the limit's bare jakarta.websocket endpoint /ws on the same "
                + "Jetty ee10 (the same frames' bytes encoded once per publish, one async send in flight per socket, the rest "
                + "coalesced, as Halley), both read by the suite's own RFC 6455 client on NIO (WsClients); CometD over its "
                + "WebSocket transport with its own Java client. permessage-deflate is not negotiated anywhere.");
        report.notes.add("3 nodes: " + NODES + " Halley server JVMs with RedisHub, RedisChannelHistory and RedisQueue on one "
                + "local redis-server; the subscribers (SSE pages) spread round-robin over the nodes, every message published on "
                + "node 1 (so two thirds of the deliveries cross Redis). Rows: delivered msgs/s (all subscribers together), the "
                + "CPU per million deliveries of the whole system (the three nodes plus redis-server), and publish-to-receive "
                + "latency; the Halley column is the single in-memory node under the same load.");
        report.notes.add("Halley runs with pageLease " + HalleyServer.LEASE.toSeconds() + " s (default 20 s) so that the pages "
                + "of one scenario's closed clients are gone before the next, and maxHeldConnections 40,000 (default 10,000).");
    }
}
