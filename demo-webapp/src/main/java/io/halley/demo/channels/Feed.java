package io.halley.demo.channels;

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
 * The live feed of the transports demo: one message a second, {@code {"n": 42, "time":
 * "12:00:01"}}, published on the channel {@value #CHANNEL}. Every subscribed page gets it as a
 * {@code message} command, whichever transport the page uses. One daemon thread,
 * {@code demo-feed}; {@link #close()} stops it.
 */
public final class Feed implements AutoCloseable {
    static final String CHANNEL = "feed";
    private static final Logger LOG = LoggerFactory.getLogger(Feed.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final ScheduledExecutorService timer;

    private Feed(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts publishing on {@code halley}. */
    public static Feed start(Halley halley) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-feed");
            t.setDaemon(true);
            return t;
        });
        AtomicLong n = new AtomicLong();
        timer.scheduleAtFixedRate(() -> {
            if (halley.subscribers(CHANNEL) == 0) return; // nobody watching: no history to keep
            JsonObject m = new JsonObject();
            m.addProperty("n", n.incrementAndGet());
            m.addProperty("time", LocalTime.now().format(TIME));
            try {
                halley.publish(CHANNEL, m);
            } catch (RuntimeException e) {
                LOG.warn("feed publish failed", e); // keep the schedule alive
            }
        }, 1, 1, TimeUnit.SECONDS);
        return new Feed(timer);
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
