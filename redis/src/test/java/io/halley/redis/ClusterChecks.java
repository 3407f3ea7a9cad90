package io.halley.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Bounded waits and the checks shared by the core-level and the web-level cluster tests. */
public final class ClusterChecks {
    private ClusterChecks() {
    }

    /** Polls {@code condition} every 10 ms until true or {@code timeout}; fails naming {@code what}. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeout + " waiting for: " + what);
            RedisProcess.sleep(10);
        }
    }

    /** {@link #await(String, Duration, BooleanSupplier)} for 10 s. */
    public static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    public static void assertIncreasing(List<Long> ids, String what) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) <= ids.get(i - 1)) fail(what + ": ids not increasing at " + i + ": " + ids);
        }
    }

    public static void assertNoDuplicates(List<?> values, String what) {
        assertEquals(values.size(), Set.copyOf(values).size(), what + " has duplicates: " + values);
    }

    /** Waits (10 s at most) until no {@code halley-} or {@code lettuce-} thread is alive. */
    public static void awaitNoLeftoverThreads() {
        await("no halley-/lettuce- threads left", Duration.ofSeconds(10), () -> Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("halley-") || n.startsWith("lettuce-"))
                .collect(Collectors.toSet()).isEmpty());
    }
}
