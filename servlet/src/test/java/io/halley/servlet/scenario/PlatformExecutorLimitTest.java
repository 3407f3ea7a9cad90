package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java 17 platform executor at its limit ({@code executor=PLATFORM}, {@code maxCometThreads=3}):
 * a callback call or a {@code page.comet} past the limit is refused with 429 / LIMIT naming the
 * setting, nothing is half-started, other requests keep working (no deadlock), no page is lost,
 * and once threads are free again both work.
 */
class PlatformExecutorLimitTest extends ScenarioTest {

    @Test
    void pastMaxCometThreadsCallsAndFunctionsGet429NamingTheSettingAndNothingStalls() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            TestServer server = start(params("executor", "PLATFORM", "maxCometThreads", "3", "pageLease", "PT30S"));
            CountDownLatch release = new CountDownLatch(1);
            server.halley().register("block", (r, args) -> release.await(20, TimeUnit.SECONDS));
            server.halley().register("quick", (r, args) -> "ok");
            HttpBrowser a = new HttpBrowser(server);
            HttpBrowser.PageRef pa = a.openPage();
            Page pageA = server.page(pa.page());
            try {
                // fill the pool: two functions and one callback, all blocked
                pageA.comet(c -> release.await(20, TimeUnit.SECONDS));
                pageA.comet(c -> release.await(20, TimeUnit.SECONDS));
                assertEquals(202, a.pagePost(pa, "/call/block", "\"call\":\"b1\"").status());
                Await.until("3 comet threads busy", Duration.ofSeconds(5), () -> busyCometThreads() >= 3);

                HttpBrowser.Resp refused = a.pagePost(pa, "/call/quick", "\"call\":\"q1\"");
                refused.assertError(429);
                assertTrue(refused.json().get("error").getAsString().contains("maxCometThreads"), refused.body());

                int functions = pageA.functionCount();
                HalleyException e = assertThrows(HalleyException.class, () -> pageA.comet(c -> { }));
                assertEquals(HalleyException.Kind.LIMIT, e.kind());
                assertTrue(e.getMessage().contains("maxCometThreads"), e.getMessage());
                assertEquals(functions, pageA.functionCount(), "nothing half-started");

                // everything else keeps working: a second session, its page, streams, subscriptions
                HttpBrowser other = new HttpBrowser(server);
                HttpBrowser.PageRef pb = other.openPage();
                assertEquals(200, other.pagePost(pb, "/subscribe", "\"channel\":\"news\"").status());
                server.page(pb.page()).writer().text("#x", "still").flush();
                pageA.writer().text("#x", "a too").flush();
                for (Transport t : Transport.values()) {
                    try (FrameStream w = t.open(other, pb.page(), 0)) {
                        assertEquals(1, w.next().get("seq").getAsLong(), t.toString());
                    }
                }
                assertEquals(200, a.get("/page?page=" + pa.page()).status(), "page A is alive");
                assertTrue(pageA.isAlive());
            } finally {
                release.countDown();
            }
            // threads free again: calls and functions run
            Await.until("functions ended", Duration.ofSeconds(10), () -> pageA.functionCount() == 0);
            Await.until("comet threads idle", Duration.ofSeconds(10), () -> busyCometThreads() == 0);
            assertEquals(202, a.pagePost(pa, "/call/quick", "\"call\":\"q2\"").status());
            pageA.comet(c -> c.text("#y", "ran").flush());
            boolean quickDone = false;
            boolean functionRan = false;
            try (FrameStream w = Transport.SSE.open(a, pa.page(), 0)) {
                for (int i = 0; i < 20 && !(quickDone && functionRan); i++) {
                    JsonObject f = w.next();
                    for (JsonElement c : f.getAsJsonArray("cmds")) {
                        JsonObject cmd = c.getAsJsonObject();
                        String op = cmd.get("op").getAsString();
                        if (op.equals("done") && cmd.toString().contains("q2")) quickDone = true;
                        if (op.equals("text") && cmd.toString().contains("ran")) functionRan = true;
                    }
                }
            }
            assertTrue(quickDone, "the call after the saturation completed");
            assertTrue(functionRan, "the function after the saturation ran");
        });
    }

    private static long busyCometThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("halley-comet-"))
                .filter(e -> e.getKey().getState() == Thread.State.WAITING || e.getKey().getState() == Thread.State.TIMED_WAITING)
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(s -> s.getClassName().contains("PlatformExecutorLimitTest")))
                .count();
    }
}
