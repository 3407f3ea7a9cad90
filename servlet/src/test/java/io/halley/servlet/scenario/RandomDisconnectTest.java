package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Client sockets reset (TCP RST) at random points while a comet function flushes a long run of
 * frames; the client resumes with {@code since=} its last sequence each time. Every frame arrives
 * exactly once, in order, with no resync. 20,000 frames per transport by default; 100,000 with
 * {@code -Dhalley.soak=true}. The seed is printed in every failure ({@code -Dhalley.seed=} to replay).
 */
class RandomDisconnectTest extends ScenarioTest {
    static final boolean SOAK = Integer.getInteger("halley.frames", 100_000) > 100_000;
    static final int TOTAL = Integer.getInteger("halley.frames", 100_000);

    @ParameterizedTest
    @EnumSource(Transport.class)
    void resumesAfterRandomDisconnectsWithoutLossOrDuplicate(Transport t) {
        long seed = Long.getLong("halley.seed", System.nanoTime());
        String tag = " [" + t + " seed=" + seed + "]";
        assertTimeoutPreemptively(Duration.ofSeconds(SOAK ? 600 : 90), () -> {
            TestServer server = start(params("replayFrames", String.valueOf(TOTAL + 1),
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
                    JsonObject f = w.next();
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
