package io.halley.bench.scenario;

import io.halley.bench.Plan;
import io.halley.bench.load.NioClients;
import io.halley.bench.report.Report;
import io.halley.bench.server.ServerHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Unrecorded fan-outs before any recorded trial, so that no trial that counts meets a cold server
 * JVM (its JIT still compiling the fan-out and write paths) or a cold load generator.
 *
 * <p>The server's transports take turns, one window each per round. A transport is <em>settled</em>
 * when its server CPU per million deliveries in its last window is within {@link #SETTLED} of the
 * window before; settled transports sit the next rounds out. The warm-up ends after a round in
 * which every transport is settled and the plan's {@link Plan#serverWarmup()} has passed, or after
 * {@link #MAX_ROUNDS} rounds whatever the figures say (then the log says which transport never
 * settled). A fixed length was not enough: one 10-second window settled SSE, but Halley's
 * WebSocket kept getting cheaper over five more (1,251, 746, 542, 394, 399 CPU ms per million
 * deliveries at 1,000 subscribers), so the first recorded ws trials ran at 5× the CPU of the later
 * ones.
 *
 * <p>Called from the suite's thread; blocks for the whole warm-up (tens of seconds to a few
 * minutes). A window that fails (clients not all up) is logged and counts as unsettled.
 */
final class WarmUp {
    /** Two consecutive windows closer than this (relative CPU per delivery) settle a transport. */
    static final double SETTLED = 0.15;
    /** Rounds at most, each one window of every transport not yet settled. */
    static final int MAX_ROUNDS = 8;

    private final Scenarios scenarios;
    private final Plan plan;
    private final Scenarios.Log log;

    WarmUp(Scenarios scenarios, Plan plan, Scenarios.Log log) {
        this.scenarios = scenarios;
        this.plan = plan;
        this.log = log;
    }

    /** Warms {@code s} over {@code targets} for {@code atLeast}, and until each target settles. */
    void run(ServerHandle s, List<NioClients.Target> targets, Duration atLeast) throws Exception {
        if (targets.isEmpty()) throw new IllegalArgumentException("no transport to warm up on " + s.name());
        Map<NioClients.Target, Double> last = new LinkedHashMap<>();
        List<NioClients.Target> unsettled = new ArrayList<>(targets);
        long until = System.nanoTime() + atLeast.toNanos();
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            for (NioClients.Target t : new ArrayList<>(unsettled)) {
                Scenarios.FanOut r = scenarios.fanOut(s, t, plan.transportSubscribers(), plan.transportMeasure());
                double cpu = r.ok() ? r.cpuPerMillion() : Double.NaN;
                Double before = last.put(t, cpu);
                boolean settled = before != null && settled(before, cpu);
                if (settled) unsettled.remove(t);
                log.line(String.format(Locale.ROOT, "%s warm-up %d over %s (not recorded): %,.0f msgs/s, %,.0f CPU ms per million deliveries%s%s",
                        s.name(), round, targets.size() > 1 ? t.transport : "its transport", r.rate(), r.cpuPerMillion(),
                        settled ? ", settled" : "", r.ok() ? "" : " (" + r.problem() + ")"));
            }
            if (System.nanoTime() >= until && unsettled.isEmpty()) return;
            if (unsettled.isEmpty()) unsettled.addAll(targets); // time left: another round of everything
        }
        if (!unsettled.isEmpty()) {
            log.line(s.name() + " warm-up: " + names(unsettled) + " not settled after " + MAX_ROUNDS + " rounds (CPU per delivery still moving more than "
                    + Math.round(SETTLED * 100) + " % between windows); the recorded trials start anyway");
        }
    }

    /** The transports a server is warmed up on: Halley's three streams, else its one; with {@code ws} its WebSocket. */
    static List<NioClients.Target> targets(ServerHandle s, NioClients.Target stream, NioClients.Target ws) {
        List<NioClients.Target> list = new ArrayList<>(s.name().equals(Report.HALLEY)
                ? List.of(NioClients.Target.HALLEY_SSE, NioClients.Target.HALLEY_IFRAME, NioClients.Target.HALLEY_POLL)
                : List.of(stream));
        if (ws != null) list.add(ws);
        return list;
    }

    static boolean settled(double before, double now) {
        if (!Double.isFinite(before) || !Double.isFinite(now) || before <= 0) return false;
        return Math.abs(now - before) / before <= SETTLED;
    }

    private static String names(List<NioClients.Target> ts) {
        List<String> n = new ArrayList<>();
        for (NioClients.Target t : ts) n.add(t.transport);
        return String.join(", ", n);
    }
}
