package io.halley.core;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.transport.Frame;
import io.halley.core.transport.PageStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Shared helpers for core tests. Every wait is bounded. Core's tests cannot use halley-testing
 * (it depends on halley-servlet, which depends on halley-core: a reactor cycle), so this holds
 * core's one {@code await}; every other module's tests use the kit's {@code Await}.
 */
final class TestSupport {
    private TestSupport() {
    }

    static Halley.Builder quick() {
        return Halley.builder().pageLease(Duration.ofSeconds(30));
    }

    /** Polls {@code condition} every 5 ms until true or {@code timeout}; fails with {@code what}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out after " + timeout + " waiting for: " + what);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(10), condition);
    }

    /** Every command delivered to the page so far, as parsed JSON objects, in order. */
    static List<JsonObject> commands(Page page) {
        List<JsonObject> out = new ArrayList<>();
        for (Frame f : PageStreams.frames(page).since(0).frames()) {
            JsonObject frame = JsonParser.parseString(f.toJson()).getAsJsonObject();
            JsonArray cmds = frame.getAsJsonArray("cmds");
            for (JsonElement c : cmds) out.add(c.getAsJsonObject());
        }
        return out;
    }

    /**
     * Waits (bounded) until the page holds at least {@code n} commands: channel messages are
     * fanned out on the runtime's fan-out threads after {@code publish} returns.
     */
    static List<JsonObject> awaitCommands(Page page, int n) {
        await(n + " commands on " + page, () -> commands(page).size() >= n);
        return commands(page);
    }

    static List<String> ops(Page page) {
        return commands(page).stream().map(c -> c.get("op").getAsString()).collect(Collectors.toList());
    }

    /** Names of live platform threads whose name starts with "halley-". */
    static Set<String> halleyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("halley-"))
                .collect(Collectors.toSet());
    }
}
