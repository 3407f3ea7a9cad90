package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.servlet.Container;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Held streams whose clients reset their connections (TCP RST: SO_LINGER 0, then close) free
 * their slots within about the probe interval, long before the next heartbeat (set to a minute
 * here, so that only the probes can notice); and a client churning such streams cannot make
 * another client's stream request fail with 503, because at the limit the held streams are probed
 * before a new one is refused. The resets are expected disconnects: no log line above DEBUG
 * (slf4j-simple's output, the servlet's and Jetty's, shows no WARN or ERROR). On Jetty and Tomcat.
 */
class ResetStreamsTest extends ScenarioTest {
    static final int STREAMS = 1000;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        PrintStream err = originalErr;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (log) {
                    log.write(b);
                }
                err.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (log) {
                    log.write(b, off, len);
                }
                err.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void noWarnings() {
        System.setErr(originalErr);
        String text;
        synchronized (log) {
            text = log.toString(StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            if (line.contains(" WARN ") || line.contains(" ERROR ")) throw new AssertionError("logged above DEBUG: " + line);
        }
    }

    private static Map<String, String> quietParams(String maxHeld) {
        Map<String, String> p = TestServer.fastParams();
        p.put("heartbeat", "PT60S"); // no heartbeat comes to notice the dead peers
        p.put("pageLease", "PT30S");
        p.put("maxHeldConnections", maxHeld);
        p.put("maxPagesPerSession", "5000");
        p.put("maxStreamsPerBrowser", "0"); // one client stands for many browsers here
        return p;
    }

    private static RawHttp sse(HttpBrowser b, HttpBrowser.PageRef p) throws IOException {
        return RawHttp.get(FrameStream.uri(b, Transport.SSE.path(), p.page(), 0), b.cookieHeader(), Map.of(), false);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Container.class)
    void aThousandResetStreamsFreeTheirSlotsWithinFiveSeconds(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            TestServer server = track(Container.start(c, quietParams("100000")));
            HttpBrowser b = new HttpBrowser(server);
            List<HttpBrowser.PageRef> pages = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) pages.add(b.openPage());
            List<RawHttp> open = new ArrayList<>(STREAMS);
            try {
                for (HttpBrowser.PageRef p : pages) open.add(sse(b, p));
                for (RawHttp r : open) assertEquals(200, r.status());
                Await.until("all " + STREAMS + " streams held", Duration.ofSeconds(10),
                        () -> server.servlet().heldConnections() == STREAMS);
            } catch (Throwable t) {
                for (RawHttp r : open) r.close();
                throw t;
            }
            long t0 = System.nanoTime();
            for (RawHttp r : open) r.kill();
            Await.until("held connections back to 0 (now " + server.servlet().heldConnections() + ")",
                    Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 0);
            System.out.println("ResetStreamsTest " + c + ": " + STREAMS + " reset streams freed in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertEquals(STREAMS, server.halley().pageCount(), "the pages live on (their lease runs)");
        });
    }

    /** The same for Play-style {@code /comet/<channel>} streams (a newline probes them). */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Container.class)
    void resetChannelStreamsFreeTheirSlotsWithinFiveSeconds(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            TestServer server = track(Container.start(c, quietParams("100000")));
            int n = 200;
            List<RawHttp> open = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                open.add(RawHttp.get(java.net.URI.create(server.base() + "/comet/reset?callback=app.onTick"), null, Map.of(), false));
            }
            for (RawHttp r : open) assertEquals(200, r.status());
            Await.until("all " + n + " channel streams held", Duration.ofSeconds(10),
                    () -> server.servlet().heldConnections() == n);
            for (RawHttp r : open) r.kill();
            Await.until("held connections back to 0 (now " + server.servlet().heldConnections() + ")",
                    Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 0);
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Container.class)
    void aChurningClientCannotMakeAnotherClientGet503(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            int max = 100;
            TestServer server = track(Container.start(c, quietParams(String.valueOf(max))));
            HttpBrowser churner = new HttpBrowser(server);
            List<HttpBrowser.PageRef> churnPages = new ArrayList<>();
            for (int i = 0; i < 4 * max; i++) churnPages.add(churner.openPage());
            HttpBrowser victim = new HttpBrowser(server);
            HttpBrowser.PageRef victimPage = victim.openPage();
            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            AtomicInteger churned = new AtomicInteger();
            AtomicInteger churnRefused = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] churners = new Thread[4];
            for (int k = 0; k < churners.length; k++) {
                int worker = k;
                churners[k] = new Thread(() -> {
                    try {
                        for (int i = worker; System.nanoTime() < until; i += churners.length) {
                            RawHttp r = sse(churner, churnPages.get(i % churnPages.size()));
                            if (r.status() == 503) churnRefused.incrementAndGet();
                            r.kill();
                            churned.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                }, "churn-" + k);
                churners[k].start();
            }
            AtomicInteger peak = new AtomicInteger();
            Thread watch = new Thread(() -> {
                while (System.nanoTime() < until) {
                    peak.accumulateAndGet(server.servlet().heldConnections(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "watch-held");
            watch.start();
            int asked = 0;
            List<Integer> refused = new ArrayList<>();
            while (System.nanoTime() < until) {
                try (RawHttp r = sse(victim, victimPage)) { // each replaces the previous one: one slot
                    asked++;
                    if (r.status() != 200) refused.add(r.status());
                }
                Thread.sleep(40);
            }
            for (Thread t : churners) t.join(15_000);
            watch.join(5_000);
            if (failure.get() != null) throw new AssertionError(failure.get());
            System.out.println("ResetStreamsTest " + c + ": " + churned.get() + " streams churned (" + churnRefused.get()
                    + " refused), peak held " + peak.get() + ", " + asked + " asked by another client, refused: " + refused);
            assertTrue(churned.get() > 4 * max, "the churn passed the limit several times over: " + churned.get());
            assertEquals(max, peak.get(), "the churn reached the held-connection limit");
            assertTrue(asked >= 50, "the other client asked often: " + asked);
            assertEquals(List.of(), refused, "the other client's stream requests were never refused");
            Await.until("held connections back to 0", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 0);
        });
    }
}
