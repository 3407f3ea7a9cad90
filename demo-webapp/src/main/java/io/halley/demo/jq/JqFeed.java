package io.halley.demo.jq;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed of the jQuery.comet demo: once a second a server-side {@link Halley#publish} on the
 * channel {@value #CHANNEL} of {@code {"type": "tick", "data": {"n", "time", "node"}}}, the shape
 * jQuery.comet turns into the DOM event {@code tick.comet} with {@code (event, data, type)}.
 * Halley's nginx-push subscriber ({@code GET /halley/push/sub?channel=feed-jq}) listens to the
 * channel and serves each message as its JSON, so no push publisher needs to be switched on.
 * {@link #note} publishes a {@code note} the same way. One daemon thread, {@code demo-jq-feed}.
 *
 * <p>It publishes whether or not someone is reading: a push subscriber is not a page, and the
 * nginx push protocol gives a new subscriber the oldest buffered message first, so the channel's
 * history (the last 100) is what a newcomer catches up with.
 */
public final class JqFeed implements AutoCloseable {
    public static final String CHANNEL = "feed-jq";
    private static final Logger LOG = LoggerFactory.getLogger(JqFeed.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Halley halley;
    private final ScheduledExecutorService timer;

    private JqFeed(Halley halley, ScheduledExecutorService timer) {
        this.halley = halley;
        this.timer = timer;
    }

    /** Starts publishing on {@code halley}. */
    public static JqFeed start(Halley halley) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-jq-feed");
            t.setDaemon(true);
            return t;
        });
        String node = halley.config().nodeId();
        AtomicLong n = new AtomicLong();
        timer.scheduleAtFixedRate(() -> {
            JsonObject data = new JsonObject();
            data.addProperty("n", n.incrementAndGet());
            data.addProperty("time", LocalTime.now().format(TIME));
            data.addProperty("node", node);
            try {
                halley.publish(CHANNEL, event("tick", data));
            } catch (RuntimeException e) {
                LOG.warn("jQuery.comet feed publish failed", e); // keep the schedule alive
            }
        }, 1, 1, TimeUnit.SECONDS);
        return new JqFeed(halley, timer);
    }

    /** Publishes {@code text} (user text: the page shows it as text) as a {@code note} event. */
    void note(String text) {
        JsonObject data = new JsonObject();
        data.addProperty("text", text);
        data.addProperty("time", LocalTime.now().format(TIME));
        halley.publish(CHANNEL, event("note", data));
    }

    private static JsonObject event(String type, JsonObject data) {
        JsonObject m = new JsonObject();
        m.addProperty("type", type);
        m.add("data", data);
        return m;
    }

    /** Stops the feed and waits (1 s at most) for its thread to end. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
