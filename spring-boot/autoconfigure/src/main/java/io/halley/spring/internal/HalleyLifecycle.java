package io.halley.spring.internal;

import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the context's {@link Halley} for the context's life. {@link #stop()} runs before the web
 * server's graceful shutdown (Spring Boot's phase {@code SmartLifecycle.DEFAULT_PHASE - 1024},
 * in 3.5 and 4.0; this one is {@link #PHASE}, so it stops first): it drains the servlet (held
 * streams ended, their clients told to reconnect, new requests answered 503), so the graceful
 * shutdown has no held request to wait for, then closes the runtime (pages die, comet
 * functions interrupted, Halley's threads stopped). Without it a held stream kept a Boot
 * application's shutdown waiting for the whole graceful timeout (30 s).
 *
 * <p>Called by Spring's lifecycle processor; {@link #stop()} blocks up to {@link #DRAIN} plus
 * {@link Halley#close()}'s own bound (5 s for functions that ignore interruption).
 */
public final class HalleyLifecycle implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(HalleyLifecycle.class);

    /** Above the graceful shutdown's phase, so that stopping comes first. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    /** The longest wait for held requests to complete once ended. */
    public static final Duration DRAIN = Duration.ofSeconds(2);

    private final Halley halley;
    private final Supplier<CometServlet> servlet;
    private volatile boolean running;

    /** @param servlet the mounted servlet, or a supplier of null when none is (no web application) */
    public HalleyLifecycle(Halley halley, Supplier<CometServlet> servlet) {
        this.halley = halley;
        this.servlet = servlet;
    }

    @Override
    public void start() {
        halley.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        CometServlet s = servlet.get();
        if (s != null && !s.drain(DRAIN)) {
            LOG.warn("{} held requests still open {} after they were ended", s.heldConnections(), DRAIN);
        }
        halley.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
