package io.halley.bench.scenario;

import io.halley.bench.Plan;
import io.halley.bench.load.Clients;
import io.halley.bench.load.NioClients;
import io.halley.bench.load.Receiver;
import io.halley.bench.load.Tally;
import io.halley.bench.report.Report;
import io.halley.bench.report.SystemCpu;
import io.halley.bench.server.HalleyServer;
import io.halley.bench.server.ServerHandle;
import io.halley.bench.server.Stats;
import io.halley.bench.report.Report.Better;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The scenarios, each run the same way against each server. Every scenario counts what was
 * published and what each connection received; a message missing, duplicated or replaced by a
 * resync marks the row FAIL for that server (and the suite exits non-zero).
 */
public final class Scenarios {
    /** Makes the clients of one server for one Halley transport (ignored by the others). */
    public interface ClientFactory {
        Clients create(ServerHandle server, NioClients.Target target) throws Exception;
    }

    private final Plan plan;
    private final Report report;
    private final ClientFactory factory;
    private final Log log;

    /** Progress lines on standard error. */
    public interface Log {
        void line(String s);
    }

    public Scenarios(Plan plan, Report report, ClientFactory factory, Log log) {
        this.plan = plan;
        this.report = report;
        this.factory = (server, target) -> new ReleasedClients(factory.create(server, target), server, plan.size());
        this.log = log;
    }

    static String n(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The one stream of each server: Halley's SSE, the limit's and Spring's bare SSE, CometD long-polling's Bayeux. */
    private static NioClients.Target sse(ServerHandle s) {
        switch (s.name()) {
            case Report.HALLEY:
            case Report.HALLEY_NODES:
                return NioClients.Target.HALLEY_SSE;
            case Report.COMETD_LP:
                return NioClients.Target.COMETD_LONG_POLLING;
            case Report.ATMOSPHERE:
                return NioClients.Target.ATMOSPHERE_SSE;
            default:
                return NioClients.Target.LIMIT_SSE;
        }
    }

    /**
     * The WebSocket of each server that has one: Halley's {@code /halley/ws}, the limit's bare
     * {@code /ws}; CometD's clients are its own over WebSocket whatever the target.
     */
    private static NioClients.Target ws(ServerHandle s) {
        return s.name().equals(Report.LIMIT) ? NioClients.Target.LIMIT_WS : NioClients.Target.HALLEY_WS;
    }

    private static Duration openTimeout(int n) {
        return Duration.ofSeconds(30 + n / 250);
    }

    // ---- 1. held idle connections -----------------------------------------------------------

    public void idle(ServerHandle s) throws Exception {
        idle(s, sse(s), "", "");
    }

    /** Held idle WebSockets (Halley's {@code /halley/ws} pages, the limit's {@code /ws}, CometD's): heap, RSS, CPU per socket. */
    public void wsIdle(ServerHandle s) throws Exception {
        idle(s, ws(s), "ws-", "ws ");
    }

    private void idle(ServerHandle s, NioClients.Target target, String idPrefix, String namePrefix) throws Exception {
        awaitQuiet(s);
        Stats base = s.stats(true);
        try (Clients clients = factory.create(s, target)) {
            int open = 0;
            for (int level : plan.idleLevels()) {
                String heapId = idPrefix + "idle-heap-" + level;
                String heapName = namePrefix + "idle " + n(level) + ": heap per connection";
                String rssId = idPrefix + "idle-rss-" + level;
                String rssName = namePrefix + "idle " + n(level) + ": RSS per connection";
                String bufId = idPrefix + "idle-buffers-" + level;
                String bufName = namePrefix + "idle " + n(level) + ": direct buffers per connection";
                String memId = idPrefix + "idle-mem-" + level;
                String memName = namePrefix + "idle " + n(level) + ": heap + direct buffers per connection";
                String cpuId = idPrefix + "idle-cpu-" + level;
                String cpuName = namePrefix + "idle " + n(level) + ": CPU";
                report.row(heapId, heapName, "KB", Better.LOWER);
                report.row(rssId, rssName, "KB", Better.LOWER);
                report.row(bufId, bufName, "KB", Better.LOWER);
                report.row(memId, memName, "KB", Better.LOWER);
                report.row(cpuId, cpuName, "% of a core", Better.LOWER);
                int up = clients.open(level - open, openTimeout(level - open));
                open = level;
                boolean held = awaitConnections(s, level, Duration.ofSeconds(30));
                if (clients.tally().failed() > 0 || !held) {
                    String why = (level - clients.up()) + " of " + n(level) + " connections not held"
                            + (clients.tally().firstFailure() == null ? "" : ": " + clients.tally().firstFailure());
                    report.fail(heapId, heapName, "KB", Better.LOWER, s.name(), why);
                    log.line(s.name() + " idle " + level + ": " + why);
                    return;
                }
                Thread.sleep(2000);
                Stats st = s.stats(true);
                double heapPer = (st.heapUsed() - base.heapUsed()) / (double) level / 1024;
                double rssPer = (st.rssBytes() - base.rssBytes()) / (double) level / 1024;
                boolean direct = st.directBytes() >= 0 && base.directBytes() >= 0;
                double bufPer = direct ? (st.directBytes() - base.directBytes()) / (double) level / 1024 : Double.NaN;
                Stats c0 = s.stats(false);
                long t0 = System.nanoTime();
                Thread.sleep(plan.cpuWindow().toMillis());
                Stats c1 = s.stats(false);
                double cpu = (c1.cpuNanos() - c0.cpuNanos()) * 100.0 / (System.nanoTime() - t0);
                report.put(heapId, heapName, "KB", Better.LOWER, s.name(), heapPer);
                report.put(rssId, rssName, "KB", Better.LOWER, s.name(), rssPer);
                if (direct) {
                    report.put(bufId, bufName, "KB", Better.LOWER, s.name(), bufPer);
                    report.put(memId, memName, "KB", Better.LOWER, s.name(), heapPer + bufPer);
                }
                report.put(cpuId, cpuName, "% of a core", Better.LOWER, s.name(), cpu);
                if (clients.up() != level || c1.connections() < level) {
                    report.fail(cpuId, cpuName, "% of a core", Better.LOWER, s.name(),
                            "connections dropped while idle: " + clients.up() + " up, server holds " + c1.connections());
                }
                log.line(String.format(Locale.ROOT, "%s %sidle %,d (%d up): heap %.2f KB/conn, RSS %.2f KB/conn "
                        + "(direct buffers %.2f), CPU %.2f%%", s.name(), namePrefix, level, up, heapPer, rssPer, bufPer, cpu));
            }
        }
    }

    // ---- 2. fan-out --------------------------------------------------------------------------

    /** Result of one paced fan-out. */
    record FanOut(double rate, long published, long delivered, long missing, long duplicates, long resyncs, long failedConns,
                  String failure, double serverCpu, double clientCpu, double otherCpu, double cpuPerMillion) {
        boolean ok() {
            return missing == 0 && duplicates == 0 && resyncs == 0 && failedConns == 0 && failure == null;
        }

        String problem() {
            if (failure != null) return failure;
            return "lost " + missing + ", duplicated " + duplicates + ", resyncs " + resyncs + ", failed connections " + failedConns;
        }
    }

    public void fanOut(ServerHandle s) throws Exception {
        fanOut(s, sse(s), "", "fan-out ", " subscribers");
    }

    /** The fan-out over each server's WebSocket. */
    public void wsFanOut(ServerHandle s) throws Exception {
        fanOut(s, ws(s), "ws-", "ws fan-out ", " subscribers");
    }

    /**
     * The fan-out of the 3-node scenario, on a {@link io.halley.bench.cluster.Cluster} (subscribers
     * spread over its nodes, published on node 1) or on the single Halley node beside it, over SSE.
     */
    public void nodesFanOut(ServerHandle s) throws Exception {
        fanOut(s, NioClients.Target.HALLEY_SSE, "nodes-", "3 nodes: fan-out ", " subscribers, delivered");
    }

    private void fanOut(ServerHandle s, NioClients.Target target, String idPrefix, String namePrefix, String nameSuffix) throws Exception {
        for (int subscribers : plan.fanOut()) {
            String id = idPrefix + "fanout-" + subscribers;
            String name = namePrefix + n(subscribers) + nameSuffix;
            report.row(id, name, "msgs/s", Better.HIGHER);
            FanOut r = fanOut(s, target, subscribers, plan.measure());
            record(s, id, name, r);
        }
    }

    public void transports(ServerHandle s) throws Exception {
        int subscribers = plan.transportSubscribers();
        for (NioClients.Target t : new NioClients.Target[] {NioClients.Target.HALLEY_SSE, NioClients.Target.HALLEY_IFRAME,
                NioClients.Target.HALLEY_POLL}) {
            String id = "transport-" + t.transport;
            String name = "fan-out " + n(subscribers) + " over " + t.transport;
            report.row(id, name, "msgs/s", Better.HIGHER);
            FanOut r = fanOut(s, t, subscribers, plan.transportMeasure());
            record(s, id, name, r);
        }
    }

    /**
     * The other servers have one transport each: their transport rows (and the rows' CPU per
     * million deliveries) show their own fan-out at the same size, every trial of it.
     */
    public void copyTransportReferences() {
        for (String prefix : new String[] {"", "cpu-"}) {
            Report.Row ref = report.find(prefix + "fanout-" + plan.transportSubscribers());
            if (ref == null) continue;
            for (String t : new String[] {"sse", "iframe", "poll"}) {
                Report.Row row = report.find(prefix + "transport-" + t);
                if (row == null) continue;
                for (String other : ref.samples.keySet()) {
                    if (other.equals(Report.HALLEY)) continue;
                    for (double v : ref.samples.get(other)) report.put(row.id(), row.scenario(), row.unit(), row.better(), other, v);
                    row.notes.put(other, transportOf(other));
                    String fail = ref.failures.get(other);
                    if (fail != null) row.failures.put(other, fail);
                }
            }
        }
    }

    private static String transportOf(String server) {
        switch (server) {
            case Report.COMETD:
                return "websocket";
            case Report.COMETD_LP:
                return "long-polling";
            case Report.ATMOSPHERE:
                return "sse, Atmosphere";
            default:
                return "sse";
        }
    }

    /**
     * Unrecorded fan-outs before any recorded trial over each of the server's transports, until
     * {@link Plan#serverWarmup()} has passed and each transport's CPU per delivery has settled
     * (see {@link WarmUp}). Blocks the calling thread for the warm-up.
     */
    public void warmUp(ServerHandle s) throws Exception {
        warmUp(s, false);
    }

    /**
     * The warm-up of a system of {@code nodes} server JVMs that share the deliveries (the 3-node
     * scenario): each JVM sees only its share of the fan-out, so it gets {@code nodes} times the
     * single server's warm-up, and its first recorded trial is not measured on code still being
     * compiled (on the 2-core machine the nodes' JIT threads took about half their CPU in the
     * first trials after the single server's warm-up length).
     */
    public void warmUpShared(ServerHandle s, int nodes) throws Exception {
        new WarmUp(this, plan, log).run(s, WarmUp.targets(s, sse(s), null), plan.serverWarmup().multipliedBy(nodes));
    }

    /** The warm-up, with {@code ws} each server's WebSocket among its transports (Halley's and the limit's). */
    public void warmUp(ServerHandle s, boolean ws) throws Exception {
        boolean hasWs = ws && (s.name().equals(Report.HALLEY) || s.name().equals(Report.LIMIT));
        new WarmUp(this, plan, log).run(s, WarmUp.targets(s, sse(s), hasWs ? ws(s) : null), plan.serverWarmup());
    }

    private void record(ServerHandle s, String id, String name, FanOut r) {
        report.put(id, name, "msgs/s", Better.HIGHER, s.name(), r.rate());
        if (!r.ok()) report.fail(id, name, "msgs/s", Better.HIGHER, s.name(), r.problem());
        report.cpu(id, name, "msgs/s", Better.HIGHER, s.name(), r.serverCpu(), r.clientCpu(), r.otherCpu());
        String cpuId = "cpu-" + id;
        String cpuName = name + ": server CPU per million deliveries";
        report.row(cpuId, cpuName, Report.CPU_PER_MILLION, Better.LOWER);
        if (Double.isFinite(r.cpuPerMillion())) report.put(cpuId, cpuName, Report.CPU_PER_MILLION, Better.LOWER, s.name(), r.cpuPerMillion());
        else report.fail(cpuId, cpuName, Report.CPU_PER_MILLION, Better.LOWER, s.name(), "nothing delivered in the window");
        log.line(String.format(Locale.ROOT, "%s %s: %,.0f msgs/s, server CPU %,.0f ms per million deliveries (published %,d, "
                + "delivered %,d; CPU: server %.0f%%, clients %.0f%%, other processes %.0f%%)%s", s.name(), name, r.rate(),
                r.cpuPerMillion(), r.published(), r.delivered(), r.serverCpu(), r.clientCpu(), r.otherCpu(),
                r.ok() ? "" : " FAIL " + r.problem()));
    }

    /**
     * Publishes as fast as delivery keeps up: the next batch goes out when the slowest receiver
     * is within {@code window - batch} messages of the last published one. The rate counts the
     * messages received by all connections during the measured window (after the warm-up).
     */
    public FanOut fanOut(ServerHandle s, NioClients.Target target, int subscribers, Duration measure) throws Exception {
        awaitQuiet(s);
        try (Clients clients = factory.create(s, target)) {
            int up = clients.open(subscribers, openTimeout(subscribers));
            if (up < subscribers || !awaitConnections(s, subscribers, Duration.ofSeconds(30))) {
                return new FanOut(0, 0, 0, 0, 0, 0, subscribers - up, "only " + up + " of " + subscribers + " subscribed, the server holds " + s.stats(false).connections()
                        + (clients.tally().firstFailure() == null ? "" : ": " + clients.tally().firstFailure()), 0, 0, 0, Double.NaN);
            }
            Stats before = s.stats(false);
            if (before.clientsKept() > subscribers) {
                log.line(String.format(Locale.ROOT, "%s keeps %,d clients for %,d subscribers at the start of this fan-out: "
                        + "an earlier scenario's are not gone yet", s.name(), before.clientsKept(), subscribers));
            }
            Tally tally = clients.tally();
            int window = plan.window();
            int batch = plan.batch();
            // the counters before the first publish: the window when a publish blocks past the warm-up
            long startServerCpu = s.stats(false).cpuNanos();
            long startClientCpu = ownCpu();
            long startSystemCpu = SystemCpu.busyNanos();
            long beforeFirst = System.nanoTime();
            long first = s.publish(batch, plan.size());
            tally.expectFrom(first);
            long published = batch;
            long start = System.nanoTime();
            long measureFrom = start + plan.warmup().toNanos();
            long end = measureFrom + measure.toNanos();
            long t0 = 0;
            long r0 = 0;
            long serverCpu0 = 0;
            long clientCpu0 = 0;
            long systemCpu0 = 0;
            long now;
            while ((now = System.nanoTime()) < end) {
                if (t0 == 0 && now >= measureFrom) {
                    t0 = now;
                    r0 = tally.totalReceived();
                    serverCpu0 = s.stats(false).cpuNanos();
                    clientCpu0 = ownCpu();
                    systemCpu0 = SystemCpu.busyNanos();
                }
                if (published - tally.minReceived() <= window - batch) {
                    s.publish(batch, plan.size());
                    published += batch;
                } else {
                    LockSupport.parkNanos(100_000);
                }
                if (tally.failed() > 0) break;
            }
            long t1 = System.nanoTime();
            long r1 = tally.totalReceived();
            if (t0 == 0) {
                // a server whose publish blocks until delivery (Spring's, CometD's at 10,000) never
                // reached the window: the whole fan-out is the window, warm-up included, rather than
                // a CPU of 0 over no time at all
                t0 = beforeFirst;
                r0 = 0;
                serverCpu0 = startServerCpu;
                clientCpu0 = startClientCpu;
                systemCpu0 = startSystemCpu;
                log.line(String.format(Locale.ROOT, "%s: a publish blocked past the %d s warm-up; rate and CPU are over the whole %.1f s",
                        s.name(), plan.warmup().toSeconds(), (t1 - t0) / 1e9));
            }
            long serverCpuNanos = s.stats(false).cpuNanos() - serverCpu0;
            double serverCpu = serverCpuNanos * 100.0 / (t1 - t0);
            // CPU ms per million deliveries = CPU ns per delivery, over exactly the measured window
            double cpuPerMillion = r1 > r0 ? serverCpuNanos / (double) (r1 - r0) : Double.NaN;
            double clientCpu = (ownCpu() - clientCpu0) * 100.0 / (t1 - t0);
            double systemCpu = (SystemCpu.busyNanos() - systemCpu0) * 100.0 / (t1 - t0);
            double otherCpu = Math.max(0, systemCpu - serverCpu - clientCpu);
            double rate = (r1 - r0) * 1e9 / (t1 - t0);
            awaitDelivery(tally, published, Duration.ofSeconds(30));
            FanOut o = outcome(tally, published, rate);
            return new FanOut(o.rate(), o.published(), o.delivered(), o.missing(), o.duplicates(), o.resyncs(), o.failedConns(),
                    o.failure(), serverCpu, clientCpu, otherCpu, cpuPerMillion);
        }
    }

    private static FanOut outcome(Tally tally, long published, double rate) {
        long missing = 0;
        for (Receiver r : tally.receivers()) missing += Math.max(0, published - r.received());
        return new FanOut(rate, published, tally.totalReceived(), missing, tally.duplicates(), tally.resyncs(), tally.failed(),
                tally.firstFailure(), 0, 0, 0, 0);
    }

    /** Waits until every receiver has {@code published} messages, or no progress for 10 s, or {@code timeout}. */
    private static void awaitDelivery(Tally tally, long published, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastProgress = System.nanoTime();
        while (tally.minReceived() < published && System.nanoTime() < deadline) {
            long total = tally.totalReceived();
            if (total != last) {
                last = total;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    // ---- 3. latency ---------------------------------------------------------------------------

    public void latency(ServerHandle s) throws Exception {
        latency(s, sse(s), "", "", true, true);
    }

    /** Publish-to-receive latency over each server's WebSocket. */
    public void wsLatency(ServerHandle s) throws Exception {
        latency(s, ws(s), "ws-", "ws ", false, false);
    }

    /** The latency of the 3-node scenario (a cluster, or the single node beside it), over SSE. */
    public void nodesLatency(ServerHandle s) throws Exception {
        latency(s, NioClients.Target.HALLEY_SSE, "nodes-", "3 nodes: ", false, false);
    }

    /**
     * The latency at the plan's rate and, when {@code sustained}, then at its sustained rate on
     * the same connections (a load every server keeps up with, for a like-for-like figure).
     * {@code chart}: the run's latency chart shows the first window's histograms (the SSE one only).
     */
    private void latency(ServerHandle s, NioClients.Target target, String idPrefix, String namePrefix, boolean chart,
                         boolean sustained) throws Exception {
        int subscribers = plan.latencySubscribers();
        java.util.List<Window> windows = new java.util.ArrayList<>();
        windows.add(new Window(plan.latencyRate(), idPrefix, namePrefix, plan.latencySettle(), chart));
        if (sustained && plan.latencySustainedRate() > 0) {
            int r = plan.latencySustainedRate();
            windows.add(new Window(r, idPrefix + "r" + r + "-", namePrefix, Duration.ofSeconds(3), false));
        }
        if (chart) {
            report.latencyTitle = n(subscribers) + " subscribers, " + plan.latencyRate() + " broadcasts/s for "
                    + plan.latencyDuration().toSeconds() + " s, publish to receive";
        }
        for (Window w : windows) {
            for (int i = 0; i < 4; i++) report.row(w.ids()[i], w.names(subscribers)[i], "ms", Better.LOWER);
        }
        awaitQuiet(s);
        try (Clients clients = factory.create(s, target)) {
            int up = clients.open(subscribers, openTimeout(subscribers));
            if (up < subscribers || !awaitConnections(s, subscribers, Duration.ofSeconds(30))) {
                for (Window w : windows) {
                    report.fail(w.ids()[1], w.names(subscribers)[1], "ms", Better.LOWER, s.name(),
                            "only " + up + " of " + subscribers + " subscribed");
                }
                return;
            }
            Tally tally = clients.tally();
            long published = -1; // none yet: the first window sets where the tally starts
            for (Window w : windows) {
                published = window(s, tally, w, subscribers, published);
                if (published < 0) return;
            }
        }
    }

    /** One latency window's rate, its rows' ids and names, how long it settles first, whether it is charted. */
    private record Window(int rate, String idPrefix, String namePrefix, Duration settle, boolean chart) {
        String[] ids() {
            return new String[] {idPrefix + "latency-p50", idPrefix + "latency-p99", idPrefix + "latency-p999", idPrefix + "latency-max"};
        }

        String[] names(int subscribers) {
            String base = namePrefix + "latency " + n(subscribers) + " × " + rate + "/s";
            return new String[] {base + ": p50", base + ": p99", base + ": p99.9", base + ": max"};
        }
    }

    /**
     * Settles for {@code w.settle()} (broadcasts at the rate, not recorded: after connecting, the
     * young collections copying what the connections allocated fall here), then records
     * {@code latencyDuration} of broadcasts at the rate. Each message is stamped with the time it
     * was due (not the time its publish call began), so a server whose publish returns late has
     * the delay it causes counted; both phases end at their duration, so such a server publishes
     * fewer messages (its row notes the rate it took) rather than stretching the window.
     *
     * @param published messages published so far (-1 before the first window)
     * @return messages published so far, or -1 when delivery failed and no later window can run
     */
    private long window(ServerHandle s, Tally tally, Window w, int subscribers, long published) throws Exception {
        String[] ids = w.ids();
        String[] names = w.names(subscribers);
        int rate = w.rate();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long next = System.nanoTime();
        long settle = Math.max(1, w.settle().toSeconds() * rate);
        long settleEnd = next + w.settle().toNanos(); // a server behind the schedule publishes fewer, not for longer
        for (long i = 0; i < settle && (i == 0 || System.nanoTime() < settleEnd); i++) {
            sleepUntil(next);
            long bn = s.publish(1, plan.size(), next);
            if (published < 0) {
                tally.expectFrom(bn);
                published = 0;
            }
            next += period;
            published++;
        }
        awaitDelivery(tally, published, Duration.ofSeconds(60));
        tally.startLatencies();
        long count = plan.latencyDuration().toSeconds() * rate;
        long serverCpu0 = s.stats(false).cpuNanos();
        long clientCpu0 = ownCpu();
        long systemCpu0 = SystemCpu.busyNanos();
        long began = System.nanoTime();
        next = began;
        long sent = 0;
        long end = began + plan.latencyDuration().toNanos(); // likewise: the window lasts its duration at most
        for (long i = 0; i < count && System.nanoTime() < end; i++) {
            sleepUntil(next);
            s.publish(1, plan.size(), next);
            next += period;
            published++;
            sent++;
            if (tally.failed() > 0) break;
        }
        // the rate the server took: publishes over the real time until the last call returned
        // (a server whose publish blocks falls behind the schedule, and it shows here)
        double achieved = sent * 1e9 / Math.max(1, System.nanoTime() - began);
        awaitDelivery(tally, published, Duration.ofSeconds(60));
        // the CPU from the first recorded publish until the last delivery: is the server's core saturated?
        long wall = System.nanoTime() - began;
        double serverCpu = (s.stats(false).cpuNanos() - serverCpu0) * 100.0 / wall;
        double clientCpu = (ownCpu() - clientCpu0) * 100.0 / wall;
        double otherCpu = Math.max(0, (SystemCpu.busyNanos() - systemCpu0) * 100.0 / wall - serverCpu - clientCpu);
        report.cpu(ids[0], names[0], "ms", Better.LOWER, s.name(), serverCpu, clientCpu, otherCpu);
        Histogram h = tally.stopLatencies();
        FanOut o = outcome(tally, published, 0);
        if (w.chart()) {
            report.latency.merge(s.name(), h, (all, one) -> {
                all.add(one);
                return all;
            });
        }
        double[] values = {h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue()};
        for (int i = 0; i < ids.length; i++) report.put(ids[i], names[i], "ms", Better.LOWER, s.name(), values[i] / 1000.0);
        if (!o.ok()) report.fail(ids[1], names[1], "ms", Better.LOWER, s.name(), o.problem());
        if (achieved < rate * 0.9) report.row(ids[0], names[0], "ms", Better.LOWER).notes.put(s.name(),
                String.format(Locale.ROOT, "only %.1f/s published", achieved));
        log.line(String.format(Locale.ROOT, "%s %s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%,d samples, %.1f/s "
                + "published of %d/s; CPU: server %.0f%%, clients %.0f%%, other processes %.0f%%)%s",
                s.name(), names[0].substring(0, names[0].length() - 5), values[0] / 1000, values[1] / 1000, values[2] / 1000,
                values[3] / 1000, h.getTotalCount(), achieved, rate, serverCpu, clientCpu, otherCpu, o.ok() ? "" : " FAIL " + o.problem()));
        return o.ok() ? published : -1;
    }

    /** CPU time of this process (the load generator). */
    private static long ownCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void sleepUntil(long nanoTime) {
        long d;
        while ((d = nanoTime - System.nanoTime()) > 0) LockSupport.parkNanos(d);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Waits until the server holds {@code n} connections. */
    private static boolean awaitConnections(ServerHandle s, int n, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (s.stats(false).connections() >= n) return true;
            Thread.sleep(100);
        }
        return false;
    }

    /**
     * Lets the server forget the clients of the previous scenario before the next one opens its
     * own: a server notices a closed connection only when it next writes to it, so one throwaway
     * message goes out first; then a bounded wait (Halley keeps a page for its lease after the
     * connection is gone). Nothing here is measured.
     */
    private void awaitQuiet(ServerHandle s) throws IOException, InterruptedException {
        Stats st = s.stats(false);
        if (st.clientsKept() == 0) return;
        s.publish(1, plan.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HalleyServer.LEASE.toSeconds() + 5);
        while ((st = s.stats(false)).clientsKept() > 0 && System.nanoTime() < deadline) Thread.sleep(100);
        if (st.clientsKept() > 0) log.line(s.name() + ": still keeps " + st.clientsKept() + " clients of an earlier scenario");
    }
}
