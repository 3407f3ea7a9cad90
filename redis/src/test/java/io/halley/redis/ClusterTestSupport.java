package io.halley.redis;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.spi.Queue;
import io.halley.core.spi.QueuedAction;
import io.halley.core.transport.Frame;
import io.halley.core.transport.PageStreams;
import io.halley.testing.LeakCheck;
import io.halley.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the multi-node tests: a real {@code redis-server} per test, Halley nodes wired to it
 * through the Redis hub, history and queue, everything closed after each test, and a check that
 * no Halley or Lettuce thread is left behind. Every wait is bounded.
 */
abstract class ClusterTestSupport {
    protected RedisServer redis;
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.launch();
    }

    @AfterEach
    void stopEverything() {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
        closeables.clear();
        if (redis != null) redis.close();
        LeakCheck.awaitNoThreads("lettuce-");
    }

    /** Settings for tests: short timeouts so that outages and take-overs show within seconds. */
    protected RedisSettings.Builder settings() {
        return RedisSettings.builder().uri(redis.uri())
                .commandTimeout(Duration.ofSeconds(2))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(300))
                .visibilityTimeout(Duration.ofSeconds(1));
    }

    /** A started node on Redis with its own hub, history and queue. */
    protected Halley node(String id, RedisSettings s) {
        return node(id, s, new RedisQueue(s));
    }

    /** A started node on Redis using {@code queue}. */
    protected Halley node(String id, RedisSettings s, Queue queue) {
        Halley h = Halley.builder().nodeId(id).pageLease(Duration.ofMinutes(5))
                .hub(new RedisHub(s)).history(new RedisChannelHistory(s)).queue(queue).build().start();
        closeables.add(h);
        return h;
    }

    /** Closes {@code c} after the test, before Redis stops. */
    protected <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    /**
     * A queue that offers to Redis but never consumes: stands for a node that does not run actions
     * (core has no switch for that yet).
     */
    static final class ProducerOnlyQueue implements Queue {
        private final RedisQueue delegate;

        ProducerOnlyQueue(RedisQueue delegate) {
            this.delegate = delegate;
        }

        @Override
        public void offer(QueuedAction action) {
            delegate.offer(action);
        }

        @Override
        public void consume(ActionWorker worker) {
            // this node does not run actions
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Every command that reached the page so far, parsed, in order. */
    static List<JsonObject> commands(Page page) {
        List<JsonObject> out = new ArrayList<>();
        for (Frame f : PageStreams.frames(page).since(0).frames()) {
            JsonArray cmds = JsonParser.parseString(f.toJson()).getAsJsonObject().getAsJsonArray("cmds");
            for (JsonElement c : cmds) out.add(c.getAsJsonObject());
        }
        return out;
    }

    /** The {@code message} commands of {@code channel} that reached the page, in order. */
    static List<JsonObject> messages(Page page, String channel) {
        return commands(page).stream()
                .filter(c -> "message".equals(c.get("op").getAsString()) && channel.equals(c.get("channel").getAsString()))
                .collect(Collectors.toList());
    }

    static List<Long> ids(List<JsonObject> messages) {
        return messages.stream().map(m -> m.get("id").getAsLong()).collect(Collectors.toList());
    }

    /** The {@code text} values written to {@code selector} on the page, in order. */
    static List<String> texts(Page page, String selector) {
        return commands(page).stream()
                .filter(c -> "text".equals(c.get("op").getAsString()) && selector.equals(c.get("selector").getAsString()))
                .map(c -> c.get("text").getAsString()).collect(Collectors.toList());
    }

    static void assertIncreasing(List<Long> ids, String what) {
        ClusterChecks.assertIncreasing(ids, what);
    }

    static void assertNoDuplicates(List<?> values, String what) {
        ClusterChecks.assertNoDuplicates(values, what);
    }

}
