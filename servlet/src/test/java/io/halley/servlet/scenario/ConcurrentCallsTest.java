package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 1,000 callback calls sent at once (each callback sleeping 100 ms, so they overlap): every call
 * is accepted (202) and every one gets exactly one {@code done} with its own result on the page's
 * stream; none is lost, none fails, none is answered twice.
 */
class ConcurrentCallsTest extends ScenarioTest {
    static final int CALLS = 1_000;

    @Test
    void thousandConcurrentCallsAllGetDone() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            TestServer server = start(params("replayFrames", "10000", "pageLease", "PT60S"));
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            server.halley().register("twice", (r, args) -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(100);
                    return args.get(0).getAsInt() * 2;
                } finally {
                    running.decrementAndGet();
                }
            });
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                String body = "{\"page\":\"" + p.page() + "\",\"args\":[" + i + "],\"call\":\"c" + i + "\"}";
                HttpRequest req = HttpRequest.newBuilder(URI.create(server.base() + "/call/twice"))
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json").header("Origin", b.origin())
                        .header("X-Halley-Token", p.token()).header("Cookie", b.cookieHeader()).build();
                sent.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertEquals(202, r.statusCode(), r.body());
            }
            Map<String, Integer> done = new HashMap<>();
            int fails = 0;
            try (FrameStream w = Transport.SSE.open(b, p.page(), 0)) {
                while (done.size() < CALLS) {
                    JsonObject f = w.next();
                    assertTrue(f != null, "stream ended after " + done.size() + " done");
                    for (JsonElement e : f.getAsJsonArray("cmds")) {
                        JsonObject c = e.getAsJsonObject();
                        String op = c.get("op").getAsString();
                        if (op.equals("fail")) fails++;
                        if (!op.equals("done")) continue;
                        String call = c.get("call").getAsString();
                        int i = Integer.parseInt(call.substring(1));
                        assertEquals(2 * i, c.get("result").getAsInt(), call);
                        assertEquals(null, done.put(call, i), "one done per call: " + call);
                    }
                }
            }
            assertEquals(CALLS, done.size());
            assertEquals(0, fails);
            assertTrue(maxRunning.get() > 1, "calls ran concurrently: " + maxRunning.get());
        });
    }
}
