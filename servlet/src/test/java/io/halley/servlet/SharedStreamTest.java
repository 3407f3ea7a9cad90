package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared stream of a browser's tabs over the wire: {@code GET /shared} holds one stream with
 * the caller's page, {@code POST /join} puts another page of the same browser on it, each frame
 * tagged with its page; a dead page is announced with {@code event: gone}; {@code POST /leave}
 * takes a page off. Pages of another browser never get on it (403), and a browser holding no
 * shared stream gets 409.
 */
class SharedStreamTest {
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void pagesOfOneBrowserShareOneStreamAndOtherBrowsersCannotJoinIt(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("heartbeat", "PT1S");
            server = Container.start(c, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef a = b.openPage();
            HttpBrowser.PageRef second = b.openPage();
            try (RawHttp shared = RawHttp.get(server.uri("/shared?page=" + a.page() + "&since=0"), b.cookieHeader(), Map.of(), false)) {
                assertEquals(200, shared.status());
                assertTrue(shared.headers().get("content-type").startsWith("text/event-stream"), shared.headers().toString());
                BufferedReader in = new BufferedReader(new InputStreamReader(shared.body(), StandardCharsets.UTF_8));
                assertEquals(200, b.pagePost(second, "/join", "\"since\":0").status());
                Await.until("both pages on the stream", () -> server.servlet().pagesOnSharedStream(cookie(b)) == 2);
                assertEquals(1, server.servlet().heldConnections(), "one held request for two pages");

                server.page(second.page()).writer().text("#x", "to the second").flush();
                server.page(a.page()).writer().text("#x", "to the first").flush();
                Map<String, JsonObject> byPage = new java.util.HashMap<>(); // pages interleave in any order
                for (int i = 0; i < 2; i++) {
                    JsonObject f = nextData(in);
                    byPage.put(f.get("page").getAsString(), f);
                }
                assertEquals(1, byPage.get(second.page()).get("seq").getAsLong());
                assertTrue(byPage.get(second.page()).toString().contains("to the second"), byPage.toString());
                assertEquals(1, byPage.get(a.page()).get("seq").getAsLong());
                assertTrue(byPage.get(a.page()).toString().contains("to the first"), byPage.toString());

                // another browser: its own page cannot join (it holds no shared stream), ours is refused
                HttpBrowser other = new HttpBrowser(server);
                HttpBrowser.PageRef theirs = other.openPage();
                other.pagePost(theirs, "/join", "\"since\":0").assertError(409);
                other.pagePost(second, "/join", "\"since\":0").assertError(403);
                other.get("/shared?page=" + a.page() + "&since=0").assertError(403);
                assertEquals(2, server.servlet().pagesOnSharedStream(cookie(b)));

                // a page re-joins from its last sequence: what came after it is sent again, nothing before
                server.page(second.page()).writer().text("#x", "two").flush();
                assertEquals(2, nextData(in).get("seq").getAsLong());
                assertEquals(200, b.pagePost(second, "/join", "\"since\":1").status());
                JsonObject again = nextData(in);
                assertEquals(second.page(), again.get("page").getAsString());
                assertEquals(2, again.get("seq").getAsLong(), "resumed after 1");

                // leaving, then a page dying: announced with its id
                assertTrue(b.pagePost(second, "/leave", "").json().get("left").getAsBoolean());
                assertEquals(1, server.servlet().pagesOnSharedStream(cookie(b)));
                server.page(a.page()).close();
                String event = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event: ")) event = line;
                    if (line.startsWith("data: ") && "event: gone".equals(event)) {
                        assertEquals(a.page(), JsonParser.parseString(line.substring(6)).getAsJsonObject().get("page").getAsString());
                        break;
                    }
                }
                assertEquals("event: gone", event);
            }
            Await.until("the stream's slot given back", () -> server.servlet().heldConnections() == 0);
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aPageWhoseTabStopsRenewingIsTakenOffAndItsLeaseRunsOutWhileALegacyClientsPageStays(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("heartbeat", "PT0.5S");
            params.put("sharedPageTimeout", "PT4S");
            params.put("pageLease", "PT3S");
            server = Container.start(c, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef renewed = b.openPage();
            HttpBrowser.PageRef silent = b.openPage();
            HttpBrowser.PageRef legacy = b.openPage(); // a halley.js from before renewals: never renews, never says it will
            try (RawHttp shared = RawHttp.get(server.uri("/shared?page=" + renewed.page() + "&since=0"), b.cookieHeader(), Map.of(), false)) {
                assertEquals(200, shared.status());
                BufferedReader in = new BufferedReader(new InputStreamReader(shared.body(), StandardCharsets.UTF_8));
                JsonObject joined = b.pagePost(silent, "/join", "\"since\":0,\"renew\":true").json();
                assertEquals(1000, joined.get("renewEvery").getAsLong(), "a quarter of sharedPageTimeout: " + joined);
                assertEquals(200, b.pagePost(legacy, "/join", "\"since\":0").status());
                Await.until("three pages on the stream", () -> server.servlet().pagesOnSharedStream(cookie(b)) == 3);

                // one tab renews its page every second, the other tab has gone silent (crashed)
                long until = System.nanoTime() + Duration.ofSeconds(9).toNanos();
                boolean silentTakenOff = false;
                while (System.nanoTime() < until) {
                    JsonObject here = b.pagePost(renewed, "/here", "").json();
                    assertTrue(here.get("here").getAsBoolean(), here.toString());
                    if (!silentTakenOff && server.servlet().pagesOnSharedStream(cookie(b)) == 2) silentTakenOff = true;
                    Thread.sleep(1000);
                }
                assertTrue(silentTakenOff, "the silent page taken off within 9 s of a 4 s timeout");
                assertEquals(2, server.servlet().pagesOnSharedStream(cookie(b)), "the renewed page and the legacy client's stay on");
                Await.until("the silent page's lease ran out: it is gone", Duration.ofSeconds(10),
                        () -> server.halley().pages().stream().noneMatch(pg -> pg.id().equals(silent.page())));
                assertTrue(server.halley().pages().stream().anyMatch(pg -> pg.id().equals(renewed.page())), "the renewed page lives");
                assertTrue(server.halley().pages().stream().anyMatch(pg -> pg.id().equals(legacy.page())), "the legacy client's page lives");

                // the renewed page still gets its frames on the stream
                server.page(renewed.page()).writer().text("#x", "still here").flush();
                JsonObject f = nextData(in);
                assertEquals(renewed.page(), f.get("page").getAsString());
                assertTrue(f.toString().contains("still here"), f.toString());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aRenewalOfAPageTakenOffIsRefusedWith409AndTheTabJoinsAgainFromItsSequence(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("heartbeat", "PT0.5S");
            params.put("sharedPageTimeout", "PT4S");
            params.put("pageLease", "PT30S");
            server = Container.start(c, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef leader = b.openPage();
            HttpBrowser.PageRef frozen = b.openPage();
            try (RawHttp shared = RawHttp.get(server.uri("/shared?page=" + leader.page() + "&since=0"), b.cookieHeader(), Map.of(), false)) {
                assertEquals(200, shared.status());
                BufferedReader in = new BufferedReader(new InputStreamReader(shared.body(), StandardCharsets.UTF_8));
                assertEquals(200, b.pagePost(frozen, "/join", "\"since\":0,\"renew\":true").status());
                server.page(frozen.page()).writer().text("#x", "one").flush();
                assertEquals(1, nextData(in).get("seq").getAsLong());
                // the leader's tab renews; the other tab is frozen past the timeout
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (server.servlet().pagesOnSharedStream(cookie(b)) != 1 && System.nanoTime() < until) {
                    assertTrue(b.pagePost(leader, "/here", "").json().get("here").getAsBoolean());
                    Thread.sleep(500);
                }
                assertEquals(1, server.servlet().pagesOnSharedStream(cookie(b)), "the frozen tab's page taken off within 10 s");
                server.page(frozen.page()).writer().text("#x", "two").flush(); // kept by the page meanwhile
                b.pagePost(frozen, "/here", "").assertError(409);
                assertEquals(200, b.pagePost(frozen, "/join", "\"since\":1,\"renew\":true").status());
                JsonObject f = nextData(in);
                assertEquals(frozen.page(), f.get("page").getAsString());
                assertEquals(2, f.get("seq").getAsLong(), "resumed after its last sequence: nothing lost");
                assertTrue(f.toString().contains("two"), f.toString());
                assertTrue(b.pagePost(frozen, "/here", "").json().get("here").getAsBoolean());
            }
        });
    }

    /** The next {@code data:} line's JSON (skipping comments and blank lines). */
    private static JsonObject nextData(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("data: ")) return JsonParser.parseString(line.substring(6)).getAsJsonObject();
        }
        throw new AssertionError("the shared stream ended");
    }

    private static String cookie(HttpBrowser b) {
        for (String part : b.cookieHeader().split(";\\s*")) {
            if (part.startsWith("HALLEY_BROWSER=")) return part.substring("HALLEY_BROWSER=".length());
        }
        throw new AssertionError("no HALLEY_BROWSER cookie");
    }
}
