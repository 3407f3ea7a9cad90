package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.comet.Comet;
import io.halley.core.comet.CometFunction;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import io.halley.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A chat over one GLOBAL pool on three nodes while Redis is restarted (keeping its data), paused
 * (SIGSTOP for 20 s, the pause: twenty times the 1 s command timeout, so every command of
 * the writers and readers times out and is retried many times over while the connections stay
 * open), then killed and started empty. Two members per node; two publishers on different nodes send numbered lines
 * all along. Every member gets every line of each publisher once and in order; across the restart
 * and the pause with no gap event at all; across the loss of Redis's data, with a
 * {@link PoolMessage.Gap} before any hole.
 */
@Timeout(150)
class GlobalPoolThroughRedisFaultsTest extends ClusterTestSupport {
    /** How long Redis is stopped (SIGSTOP): the 20 s. */
    static final Duration PAUSE = Duration.ofSeconds(20);

    /** A chat line: publisher {@code from}, its {@code n}-th line. */
    record Line(String from, int n) {
    }

    /** What one member saw, in order: "from:n" per line, "gap" per Gap. */
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

    private CometFunction member(String name) {
        return member(name, seen);
    }

    /** A pool member recording into {@code seen}, under {@code name}, what it receives: "from:n" per {@link Line}, "gap" per Gap. */
    static CometFunction member(String name, Map<String, List<String>> seen) {
        List<String> log = new CopyOnWriteArrayList<>();
        seen.put(name, log);
        return (Comet c) -> {
            while (true) {
                Object m = c.receive();
                if (m instanceof Line l) log.add(l.from() + ":" + l.n());
                else if (m instanceof PoolMessage.Gap) log.add("gap");
            }
        };
    }

    @Test
    void everyMemberGetsEveryLineOnceInOrderOrAGapThroughRestartPauseAndDataLoss() throws Exception {
        RedisSettings s = settings().commandTimeout(Duration.ofSeconds(1)).build();
        Halley a = node("a", s);
        Halley b = node("b", s);
        Halley c = node("c", s);
        List<Page> pages = new ArrayList<>();
        for (Halley h : List.of(a, b, c)) {
            for (int i = 0; i < 2; i++) {
                Page p = h.open("user-" + h.config().nodeId() + i);
                p.cometGlobal(member(h.config().nodeId() + i), "chat");
                pages.add(p);
            }
        }
        Await.until("two members on each node", () -> a.poolMembers(Scope.GLOBAL, null, "chat") == 2
                && b.poolMembers(Scope.GLOBAL, null, "chat") == 2 && c.poolMembers(Scope.GLOBAL, null, "chat") == 2);

        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> sent = Map.of("pa", new AtomicInteger(), "pc", new AtomicInteger());
        List<Thread> publishers = new ArrayList<>();
        for (var e : Map.of("pa", a, "pc", c).entrySet()) {
            Thread t = new Thread(() -> {
                AtomicInteger n = sent.get(e.getKey());
                while (!stop.get()) {
                    e.getValue().sendGlobal("chat", new Line(e.getKey(), n.get()));
                    n.incrementAndGet();
                    Await.pause(10);
                }
            }, "test-publisher-" + e.getKey());
            publishers.add(t);
            t.start();
        }
        try {
            Await.pause(300);
            redis.restartKeepingData();
            awaitEverythingSentSoFar("after the restart that kept the data", sent);
            redis.pause();
            Await.pause(PAUSE.toMillis());
            redis.resume();
            awaitEverythingSentSoFar("after the 20 s pause", sent);
            for (var e : seen.entrySet()) {
                assertTrue(!e.getValue().contains("gap"), e.getKey() + " got a gap though Redis kept its data: " + e.getValue());
                checkOnceInOrder(e.getKey(), e.getValue(), false);
            }
            Map<String, Integer> beforeLoss = new ConcurrentHashMap<>();
            seen.forEach((k, v) -> beforeLoss.put(k, v.size()));

            redis.kill();
            Await.pause(1500);
            redis.start();
            Await.pause(500);
        } finally {
            stop.set(true);
            for (Thread t : publishers) t.join(5000);
        }
        awaitEverythingSentSoFar("after Redis lost its data", sent);
        for (var e : seen.entrySet()) {
            checkOnceInOrder(e.getKey(), e.getValue(), true);
        }
        int total = sent.values().stream().mapToInt(AtomicInteger::get).sum();
        long gaps = seen.values().stream().filter(l -> l.contains("gap")).count();
        System.err.println("pool through faults: " + total + " lines sent, " + seen.size() + " members, "
                + gaps + " members told of a gap when Redis lost its data");
        assertEquals(6, seen.size());
        for (Page p : pages) p.close();
    }

    /** Waits until every member saw the last line each publisher had sent when this was called. */
    private void awaitEverythingSentSoFar(String when, Map<String, AtomicInteger> sent) {
        Map<String, Integer> last = new ConcurrentHashMap<>();
        sent.forEach((k, v) -> last.put(k, v.get() - 1));
        Await.until("every member has every publisher's line " + last + " " + when, Duration.ofSeconds(30), () -> {
            for (List<String> log : seen.values()) {
                for (var e : last.entrySet()) {
                    if (e.getValue() >= 0 && !log.contains(e.getKey() + ":" + e.getValue())) return false;
                }
            }
            return true;
        });
    }

    /**
     * Each publisher's lines in {@code log} increase by one; a hole is allowed only when
     * {@code gapsAllowed} and a "gap" comes between the lines around it.
     */
    static void checkOnceInOrder(String member, List<String> log, boolean gapsAllowed) {
        Map<String, Integer> lastN = new ConcurrentHashMap<>();
        Map<String, Boolean> gapSince = new ConcurrentHashMap<>();
        for (String entry : log) {
            if (entry.equals("gap")) {
                for (String p : List.of("pa", "pc")) gapSince.put(p, true);
                continue;
            }
            String from = entry.substring(0, entry.indexOf(':'));
            int n = Integer.parseInt(entry.substring(entry.indexOf(':') + 1));
            Integer prev = lastN.get(from);
            int expected = prev == null ? 0 : prev + 1;
            if (n < expected) fail(member + " got " + entry + " again or out of order after " + from + ":" + prev + ": " + log);
            if (n > expected && !(gapsAllowed && gapSince.getOrDefault(from, false))) {
                fail(member + " missed " + from + ":" + expected + ".." + (n - 1) + " with no gap event: " + log);
            }
            lastN.put(from, n);
            gapSince.put(from, false);
        }
    }
}
