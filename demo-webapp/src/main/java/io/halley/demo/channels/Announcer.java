package io.halley.demo.channels;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.PageListener;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jii's {@code addConnection} pattern: a page-opened listener subscribes every page, server side,
 * to the channel {@value #CHANNEL}, and a timer publishes a short announcement on it every
 * {@code every} (10 s by default) while some page of this node is subscribed:
 * {@code {"n", "time", "node", "text"}}. With Redis every node announces, each under its own id.
 * One daemon thread, {@code demo-announcer}; {@link #close()} stops it and removes the listener.
 */
public final class Announcer implements PageListener, AutoCloseable {
    public static final String CHANNEL = "announcements";
    private static final Logger LOG = LoggerFactory.getLogger(Announcer.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final List<String> TIPS = List.of(
            "Every page was subscribed to this channel by a page-opened listener, server side.",
            "Pages resume after a reconnect from the last frame they applied: nothing lost, nothing twice.",
            "A listen-only page may subscribe, never publish.",
            "Server actions go through a queue: with Redis, any node may answer.",
            "Channel messages are encoded once and the bytes shared by every page.");

    private final Halley halley;
    private final ScheduledExecutorService timer;

    private Announcer(Halley halley, ScheduledExecutorService timer) {
        this.halley = halley;
        this.timer = timer;
    }

    /** Subscribes every page opened from now on, and announces every {@code every}. */
    public static Announcer start(Halley halley, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-announcer");
            t.setDaemon(true);
            return t;
        });
        Announcer a = new Announcer(halley, timer);
        halley.addPageListener(a);
        String node = halley.config().nodeId();
        AtomicLong n = new AtomicLong();
        long ms = every.toMillis();
        timer.scheduleAtFixedRate(() -> {
            if (halley.subscribers(CHANNEL) == 0) return; // no page here: nobody to tell
            long i = n.incrementAndGet();
            JsonObject m = new JsonObject();
            m.addProperty("n", i);
            m.addProperty("time", LocalTime.now().format(TIME));
            m.addProperty("node", node);
            m.addProperty("text", TIPS.get((int) ((i - 1) % TIPS.size())));
            try {
                halley.publish(CHANNEL, m);
            } catch (RuntimeException e) {
                LOG.warn("announcement failed", e); // keep the schedule alive
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return a;
    }

    /** A page was opened (on this node): subscribe it, new messages only. */
    @Override
    public void opened(Page page) {
        page.subscribe(CHANNEL);
    }

    @Override
    public void close() {
        halley.removePageListener(this);
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
