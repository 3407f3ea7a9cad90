package io.halley.servlet;

import io.halley.servlet.internal.push.PushAccess;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The nginx HTTP push endpoints, walked by a plain HTTP client the way jQuery.comet's
 * {@code $.ajax({ifModified: true})} does: it keeps the {@code Last-Modified} and {@code Etag} of
 * each 200 and sends them back as {@code If-Modified-Since} and {@code If-None-Match}.
 */
class PushTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    private void start(String publisher) throws Exception {
        start(JETTY, publisher);
    }

    private void start(Container container, String publisher) throws Exception {
        Map<String, String> params = TestServer.fastParams();
        params.put("pushTimeout", "0.3");
        params.put("maxBodyBytes", "1024");
        if (publisher != null) params.put("pushPublisher", publisher);
        server = Container.start(container, params);
    }

    /** One answer: status, headers and raw body. */
    record Got(int status, HttpResponse<byte[]> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }
    }

    /** A jQuery.comet-like subscriber: remembers the validators of each 200, as jQuery's ifModified does. */
    static final class Subscriber {
        final HttpClient http;
        final URI uri;
        String lastModified;
        String etag;

        Subscriber(HttpBrowser b, String channel) {
            this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), b, channel);
        }

        Subscriber(HttpClient http, HttpBrowser b, String query) {
            this.http = http;
            this.uri = URI.create(b.server().base() + "/push/sub?channel=" + query);
        }

        Got poll() throws Exception {
            return pollAsync().get();
        }

        CompletableFuture<Got> pollAsync() {
            HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
            if (lastModified != null) r.header("If-Modified-Since", lastModified);
            if (etag != null) r.header("If-None-Match", etag);
            return http.sendAsync(r.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(resp -> {
                Got g = new Got(resp.statusCode(), resp);
                if (g.status() == 200) {
                    if (g.header("Last-Modified") != null) lastModified = g.header("Last-Modified");
                    if (g.header("Etag") != null) etag = g.header("Etag");
                }
                return g;
            });
        }
    }

    static Got pub(HttpBrowser b, String method, String channel, String type, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(b.server().base() + "/push/pub?channel=" + channel))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) r.header("Content-Type", type);
        for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
        HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Got(resp.statusCode(), resp);
    }

    static Got post(HttpBrowser b, String channel, String type, String body) throws Exception {
        Got g = pub(b, "POST", channel, type, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, g.status(), g.text());
        return g;
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aWalkingClientGetsEveryMessageExactlyOnceAcrossHeldRequestsAndTimeouts(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            start(container, "loopback");
            HttpBrowser b = new HttpBrowser(server);
            int total = 90;
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= total; i++) {
                sent.add(i % 3 == 0 && i % 10 != 0 ? "{\"type\":\"tick\",\"data\":" + i + "}" : "message " + i);
            }
            Thread publisher = new Thread(() -> {
                try {
                    for (int i = 1; i <= total; i++) {
                        String body = sent.get(i - 1);
                        if (i % 10 == 0) server.halley().publish("walk", "message " + i); // server code publishes too
                        else post(b, "walk", body.startsWith("{") ? "application/json" : "text/plain; charset=utf-8", body);
                        if (i % 30 == 0) Thread.sleep(700); // longer than pushTimeout: held requests time out
                        else if (i % 7 == 0) Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "test-push-publisher");
            Subscriber s = new Subscriber(b, "walk");
            publisher.start();
            List<String> received = new ArrayList<>();
            List<Long> ids = new ArrayList<>();
            int timeouts = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < total && System.nanoTime() < deadline) {
                String before = s.etag;
                Got g = s.poll();
                assertEquals(200, g.status(), g.text());
                if (s.etag.equals(before)) { // nothing new: the timeout answer
                    assertEquals(0, g.raw().body().length);
                    assertTrue(g.header("Content-Type").startsWith("text/plain"));
                    timeouts++;
                    continue;
                }
                received.add(g.text());
                ids.add(Long.parseLong(s.etag.replace("\"", "")));
                String type = g.header("Content-Type");
                assertTrue(g.text().startsWith("{") ? type.startsWith("application/json") : type.startsWith("text/plain"), type);
            }
            publisher.join(10_000);
            assertEquals(sent, received, "every message once, in order");
            for (int i = 0; i < ids.size(); i++) assertEquals(i + 1, ids.get(i), "Etags name ids 1, 2, 3 …");
            assertTrue(timeouts >= 2, "held requests timed out and the walk went on: " + timeouts);
        });
    }

    @Test
    void aHeldRequestIsAnsweredOnPublishAndATimeoutIsAnEmpty200NotA304() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start("loopback");
            HttpBrowser b = new HttpBrowser(server);
            Subscriber s = new Subscriber(b, "held");
            Got timeout = s.poll(); // nothing yet: held, then the timeout answer
            assertEquals(200, timeout.status());
            assertEquals("\"0\"", timeout.header("Etag"));
            assertEquals(0, timeout.raw().body().length);
            assertEquals("no-cache, no-store", timeout.header("Cache-Control"));
            CompletableFuture<Got> held = s.pollAsync();
            Await.until("held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
            post(b, "held", "text/xml", "<a/>");
            Got m = held.get();
            assertEquals(200, m.status());
            assertEquals("<a/>", m.text());
            assertEquals("text/xml", m.header("Content-Type"));
            assertEquals("\"1\"", m.header("Etag"));
            assertTrue(m.header("Last-Modified").endsWith("GMT"));
            Got again = s.poll(); // nothing after 1
            assertEquals(200, again.status());
            assertEquals("\"1\"", again.header("Etag"), "the timeout answer names the same message");
            assertEquals(m.header("Last-Modified"), again.header("Last-Modified"));
        });
    }

    @Test
    void bodiesKeepTheirTypeAndBytesAndTheHalleyChannelGetsJson() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start("loopback");
            HttpBrowser b = new HttpBrowser(server);
            byte[] binary = {0, 1, 2, (byte) 255};
            assertEquals(1, Integer.parseInt(pub(b, "POST", "mixed", "application/octet-stream", binary).text()
                    .replaceAll(".*\"id\":(\\d+).*", "$1")));
            post(b, "mixed", "application/json", "{\"type\":\"tick\",\"data\":[1,2]}");
            assertEquals(202, pub(b, "POST", "mixed", "text/plain; charset=ISO-8859-1", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)).status());
            server.halley().publish("mixed", Map.of("type", "note", "data", "from server code"));
            assertEquals("\"AAEC/w==\"", server.halley().history("mixed", 0).get(0).data().toString(), "binary as base64");
            assertEquals("{\"type\":\"tick\",\"data\":[1,2]}", server.halley().history("mixed", 1).get(0).data().toString());
            assertEquals("\"café\"", server.halley().history("mixed", 2).get(0).data().toString());

            Subscriber s = new Subscriber(b, "mixed");
            Got g1 = s.poll();
            assertEquals("application/octet-stream", g1.header("Content-Type"));
            assertArrayEquals(binary, g1.raw().body());
            Got g2 = s.poll();
            assertTrue(g2.header("Content-Type").startsWith("application/json"));
            assertEquals("{\"type\":\"tick\",\"data\":[1,2]}", g2.text());
            Got g3 = s.poll();
            assertArrayEquals("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), g3.raw().body(), "the bytes as posted");
            Got g4 = s.poll();
            assertEquals("application/json;charset=utf-8", g4.header("Content-Type").replace(" ", "").toLowerCase());
            assertEquals("from server code", com.google.gson.JsonParser.parseString(g4.text()).getAsJsonObject()
                    .get("data").getAsString());

            Got info = pub(b, "GET", "mixed", null, null);
            assertEquals(200, info.status());
            assertEquals("{\"channel\":\"mixed\",\"messages\":4,\"lastId\":4,\"subscribers\":0}", info.text());
            assertEquals(404, pub(b, "GET", "never", null, null).status());

            Got first = new Subscriber(b, "mixed").poll();
            assertEquals("\"1\"", first.header("Etag"), "no validators: the oldest buffered message");
            Subscriber ahead = new Subscriber(b, "mixed");
            ahead.etag = "\"999\"";
            assertEquals("\"1\"", ahead.poll().header("Etag"), "an Etag past the channel: its history restarted");
            Subscriber dated = new Subscriber(b, "mixed");
            dated.lastModified = "Thu, 01 Jan 1970 00:00:00 GMT";
            assertEquals("\"1\"", dated.poll().header("Etag"), "If-Modified-Since alone: the first seen after it");
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aDeletedChannelIs410AndItsOldMessagesNeverComeBack(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start(container, "loopback");
            HttpBrowser b = new HttpBrowser(server);
            post(b, "doomed", "text/plain", "one");
            post(b, "doomed", "text/plain", "two");
            Subscriber s = new Subscriber(b, "doomed");
            assertEquals("one", s.poll().text());
            assertEquals("two", s.poll().text());
            CompletableFuture<Got> held = s.pollAsync();
            Await.until("held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
            assertEquals(200, pub(b, "DELETE", "doomed", null, null).status());
            Got gone = held.get();
            assertEquals(410, gone.status());
            assertTrue(gone.header("Content-Type").startsWith("application/json") && gone.text().contains("\"error\""));
            assertEquals(410, s.poll().status());
            assertEquals(410, new Subscriber(b, "doomed").poll().status());
            assertEquals(410, pub(b, "GET", "doomed", null, null).status());

            post(b, "doomed", "text/plain", "three"); // the publisher revives it
            Got fresh = new Subscriber(b, "doomed").poll();
            assertEquals("three", fresh.text(), "the deleted messages stay deleted");
            assertEquals("\"3\"", fresh.header("Etag"));
            Subscriber stale = new Subscriber(b, "doomed");
            stale.etag = "\"1\"";
            assertEquals("three", stale.poll().text());
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aSecondHeldRequestOfTheSameSessionAnswersTheFirst409(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start(container, "loopback");
            HttpBrowser b = new HttpBrowser(server);
            b.openPage(); // a session
            String cookie = b.cookieHeader();
            Subscriber first = sessionSubscriber(b, cookie, "race");
            Subscriber second = sessionSubscriber(b, cookie, "race");
            Subscriber otherTab = sessionSubscriber(b, cookie, "race&client=tab2");
            Subscriber noSession = new Subscriber(b, "race");
            CompletableFuture<Got> f1 = first.pollAsync();
            Await.until("first held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 1);
            CompletableFuture<Got> f3 = otherTab.pollAsync();
            CompletableFuture<Got> f4 = noSession.pollAsync();
            Await.until("three held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 3);
            CompletableFuture<Got> f2 = second.pollAsync();
            Got conflict = f1.get();
            assertEquals(409, conflict.status(), conflict.text());
            assertTrue(conflict.text().contains("subscriber conflict"));
            // the answered request leaves the registry just after its bytes are written: wait, bounded
            Await.until("the newer request is held (3 held, now " + server.servlet().heldConnections() + ")",
                    Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 3);
            post(b, "race", "text/plain", "for all");
            assertEquals("for all", f2.get().text());
            assertEquals("for all", f3.get().text(), "another client key of the session is no conflict");
            assertEquals("for all", f4.get().text(), "requests without a session never conflict");
        });
    }

    private static Subscriber sessionSubscriber(HttpBrowser b, String cookie, String query) {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new java.net.CookieHandler() {
            @Override
            public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
                return Map.of("Cookie", List.of(cookie));
            }

            @Override
            public void put(URI uri, Map<String, List<String>> headers) {
            }
        }).build();
        return new Subscriber(http, b, query);
    }

    @Test
    void thePublisherIsOffByDefault() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start(null);
            HttpBrowser b = new HttpBrowser(server);
            for (String method : new String[] {"POST", "GET", "DELETE"}) {
                Got g = pub(b, method, "news", "text/plain", method.equals("POST") ? "x".getBytes(StandardCharsets.UTF_8) : null);
                assertEquals(403, g.status(), method);
                assertTrue(g.text().contains("push publisher is off"), g.text());
            }
            assertEquals(405, pub(b, "PUT", "news", "text/plain", new byte[1]).status());
        });
    }

    @Test
    void theSecretModeComparesTheHeader() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start("correct-horse-battery-staple");
            HttpBrowser b = new HttpBrowser(server);
            byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
            assertEquals(403, pub(b, "POST", "news", "text/plain", body).status());
            assertEquals(403, pub(b, "POST", "news", "text/plain", body, "X-Halley-Push-Secret", "correct-horse-battery").status());
            assertEquals(202, pub(b, "POST", "news", "text/plain", body, "X-Halley-Push-Secret", "correct-horse-battery-staple").status());
            assertTrue(server.servlet().settings().toString().contains("pushPublisher=secret"), "the secret is never logged");
        });
    }

    @Test
    void badPublishesAndSubscriptionsAreJsonErrors() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            start("loopback");
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            FrameStream w = Transport.POLL.open(b, p.page(), 0);
            assertEquals(400, pub(b, "POST", "news", "application/json", "{not json".getBytes(StandardCharsets.UTF_8)).status());
            assertEquals(400, pub(b, "POST", "news", "text/plain; charset=nope", new byte[] {65}).status());
            assertEquals(400, pub(b, "POST", "news", "application/octet-stream; charset=nope", new byte[] {65}).status());
            assertEquals(400, pub(b, "POST", "news", "text/plain", new byte[] {(byte) 0xC3}).status());
            assertEquals(413, pub(b, "POST", "news", "text/plain", new byte[2000]).status());
            assertEquals(403, pub(b, "POST", "halley.pages", "text/plain", new byte[] {65}).status());
            assertEquals(400, pub(b, "POST", "bad%20name", "text/plain", new byte[] {65}).status());
            assertEquals(202, pub(b, "POST", "news", "application/x-www-form-urlencoded", "a=1&b=2".getBytes(StandardCharsets.UTF_8)).status());
            assertEquals("\"a=1&b=2\"", server.halley().history("news", 0).get(0).data().toString(), "a form body is kept whole");
            b.get("/push/sub?channel=halley.pages").assertError(403);
            b.get("/push/sub?channel=bad%20name").assertError(400);
            b.get("/push/sub").assertError(400);
            b.get("/push/sub?channel=news&client=bad%20key").assertError(400);
            b.post("/push/sub?channel=news", "{}").assertError(405);
            server.page(p.page()).writer().text("#a", "alive").flush();
            assertEquals("alive", w.next().getAsJsonArray("cmds").get(0).getAsJsonObject().get("text").getAsString());
            w.close();
        });
    }

    @Test
    void pushAccessSettingsAndLoopbackRule() {
        assertTrue(PushAccess.isLoopback("127.0.0.1"));
        assertTrue(PushAccess.isLoopback("127.3.4.5"));
        assertTrue(PushAccess.isLoopback("0:0:0:0:0:0:0:1"));
        assertTrue(PushAccess.isLoopback("[::1]"));
        for (String remote : new String[] {"10.0.0.1", "192.168.1.5", "::ffff:10.0.0.1", "localhost", "", null}) {
            assertTrue(!PushAccess.isLoopback(remote), String.valueOf(remote));
        }
        io.halley.core.HalleyException e = org.junit.jupiter.api.Assertions.assertThrows(io.halley.core.HalleyException.class,
                () -> new PushAccess("loopback").check("192.168.1.5", null));
        assertEquals(403, e.kind().status());
        new PushAccess("LOOPBACK").check("127.0.0.1", null);
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CometSettings.builder().pushPublisher("short-secret").build());
        assertTrue(bad.getMessage().contains("12 characters") && !bad.getMessage().contains("short-secret"), bad.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CometSettings.builder().pushPublisher("has a space in it!!").build());
    }
}
