package io.halley.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.Await;
import io.halley.testing.LeakCheck;
import java.time.Duration;
import io.halley.spring.internal.HalleyLifecycle;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;

/**
 * Closing the context with an open page and its held stream, under Boot's graceful shutdown
 * (30 s per phase by default): Halley's lifecycle ends the stream before the web server waits for
 * in-flight requests, so the close takes about a second, not the whole timeout (34 s before), and
 * leaves no Halley thread.
 */
class ShutdownTest {

    @Test
    void closingTheContextWithAnOpenStreamTakesUnderThreeSecondsAndLeavesNoHalleyThread() throws Exception {
        BootHarness app = BootHarness.start("server.shutdown=graceful", "spring.lifecycle.timeout-per-shutdown-phase=30s");
        BootHarness.Held sse;
        try {
            BootHarness.Rendered page = app.clock();
            sse = app.open("sse", page.page());
            assertEquals(200, sse.status);
            Await.until("the stream is live", BootHarness.TIMEOUT, () -> sse.saw("tick 2"));
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
        SmartLifecycle graceful = (SmartLifecycle) app.context.getBean("webServerGracefulShutdown");
        SmartLifecycle halley = app.context.getBean(HalleyLifecycle.class);
        assertTrue(halley.getPhase() > graceful.getPhase(), "Halley stops before the graceful shutdown waits"); // below it, this close took 32 s
        long t0 = System.nanoTime();
        app.context.close();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("context closed with an open stream in " + took.toMillis() + " ms");
        assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "the context closed in " + took);
        Await.until("the client saw its stream end", Duration.ofSeconds(5), () -> sse.ended);
        LeakCheck.awaitNoThreads();
    }
}
