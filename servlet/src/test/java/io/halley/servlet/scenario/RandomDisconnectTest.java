package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.servlet.Container;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client sockets reset (TCP RST) at random points while a comet function flushes a long run of
 * frames; the client resumes with {@code since=} its last sequence each time. Every frame arrives
 * exactly once, in order, with no resync. 100,000 frames per transport (SSE, iframe, poll, WebSocket)
 * on each container (Jetty 12 and Tomcat 10.1) by default; {@code -Dhalley.frames=} changes the count
 * (a soak above 100,000 gets 600 s). A WebSocket is aborted rather than reset (the JDK client closes
 * its connection without a close frame). The seed is printed in every failure ({@code -Dhalley.seed=} to replay).
 */
class RandomDisconnectTest extends ScenarioTest {
    static final boolean SOAK = Integer.getInteger("halley.frames", 100_000) > 100_000;
    static final int TOTAL = Integer.getInteger("halley.frames", 100_000);
    private final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    private java.io.PrintStream originalErr;

    /** The log (slf4j-simple's System.err: the servlet's, Jetty's, Tomcat's), kept to check for warnings. */
    @BeforeEach
    void captureLog() {
        originalErr = System.err;
        java.io.PrintStream err = originalErr;
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
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
        }, true, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The disconnects are expected: nothing above DEBUG (a WebSocket closed with 1006 made Jetty WARN). */
    @AfterEach
    void noWarnings() {
        System.setErr(originalErr);
        String text;
        synchronized (log) {
            text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String line : text.split("\n")) {
            if (line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("SEVERE: ")) {
                throw new AssertionError("logged above DEBUG: " + line);
            }
        }
    }

    static List<Arguments> containersAndTransports() {
        List<Arguments> out = new ArrayList<>();
        for (Container c : Container.tested()) for (Transport t : Transport.values()) out.add(Arguments.of(c, t));
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("containersAndTransports")
    void resumesAfterRandomDisconnectsWithoutLossOrDuplicate(Container container, Transport t) {
        long seed = Long.getLong("halley.seed", System.nanoTime());
        String tag = " [" + container + " " + t + " seed=" + seed + "]";
        assertTimeoutPreemptively(Duration.ofSeconds(SOAK ? 600 : 90), () -> {
            TestServer server = start(container, params("replayFrames", String.valueOf(TOTAL + 1),
                    "replayBytes", String.valueOf(64 << 20), "iframeBudget", String.valueOf(64 * 1024),
                    "pageLease", "PT30S"));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).comet(c -> {
                for (int i = 1; i <= TOTAL; i++) {
                    c.text("#n", "frame " + i);
                    c.flush();
                    if (i % 500 == 0) c.sleep(Duration.ofMillis(1));
                }
            });
            Random rnd = new Random(seed);
            long last = 0;
            int received = 0;
            int kills = 0;
            int duplicates = 0;
            int resyncs = 0;
            int budget = nextBudget(rnd);
            FrameStream w = t.open(b, p.page(), last);
            try {
                while (received < TOTAL) {
                    if (budget == 0) { // kill now: right after connecting, or after some frames
                        w.kill();
                        w.close();
                        kills++;
                        budget = nextBudget(rnd);
                        w = t.open(b, p.page(), last);
                        continue;
                    }
                    JsonObject f;
                    try {
                        f = w.next();
                    } catch (java.net.SocketTimeoutException e) {
                        throw new AssertionError(e.getMessage() + " after seq " + last + ", " + kills + " kills; the server holds "
                                + server.servlet().heldConnections() + " connections" + tag, e);
                    }
                    if (f == null) { // ended (iframe rotation, poll answered): reopen from last
                        w.close();
                        w = t.open(b, p.page(), last);
                        continue;
                    }
                    long seq = f.get("seq").getAsLong();
                    if (Transport.isResync(f)) resyncs++;
                    if (seq <= last) {
                        duplicates++;
                        continue;
                    }
                    assertEquals(last + 1, seq, "no gap after seq " + last + tag);
                    assertEquals("frame " + seq, f.getAsJsonArray("cmds").get(0).getAsJsonObject().get("text").getAsString(),
                            "the frame's own content" + tag);
                    last = seq;
                    received++;
                    budget--;
                }
            } finally {
                w.close();
            }
            assertEquals(TOTAL, received, "every frame arrived" + tag);
            assertEquals(0, duplicates, "no frame arrived twice after a resume" + tag);
            assertEquals(0, resyncs, "no resync within the replay bounds" + tag);
            assertTrue(kills >= TOTAL / 1000, "disconnected often: " + kills + tag);
        });
    }

    /** Frames to read before the next kill: 0 (kill at once) one time in ten, else 1..600. */
    private static int nextBudget(Random rnd) {
        return rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(600);
    }
}
