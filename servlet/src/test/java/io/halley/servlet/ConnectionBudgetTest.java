package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The connection budget of a browser ({@code maxStreamsPerBrowser}, 4 by default): over HTTP/1.1
 * the fifth page stream of one browser is not held but answered at once with an advice to poll,
 * other browsers are not affected, a page's own reconnect is always admitted, and over HTTP/2
 * (h2c, where the streams share one connection) nothing is counted.
 */
class ConnectionBudgetTest {
    private static final String ADVICE_POLL = "{\"poll\":2000}";
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theFifthStreamOfOneBrowserIsAdvisedToPollAtOnceAndOtherBrowsersAreNotAffected(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("pageLease", "PT30S"); // the fifth page holds no stream for a while: it must not die meanwhile
            params.put("heartbeat", "PT1S"); // a loaded machine's late first onWritePossible is no stall
            server = Container.start(c, params);
            HttpBrowser b = new HttpBrowser(server);
            List<FrameStream> held = new ArrayList<>();
            List<HttpBrowser.PageRef> pages = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                HttpBrowser.PageRef p = b.openPage();
                pages.add(p);
                FrameStream s = Transport.SSE.open(b, p.page(), 0);
                assertEquals(200, s.status());
                held.add(s);
            }
            Await.until("four streams held", () -> server.servlet().heldConnections() == 4);
            String browser = cookie(b);
            assertEquals(4, server.servlet().streamsOfBrowser(browser));

            HttpBrowser.PageRef fifth = b.openPage();
            long t0 = System.nanoTime();
            HttpBrowser.Resp sse = b.get("/sse?page=" + fifth.page() + "&since=0");
            HttpBrowser.Resp iframe = b.get("/iframe?page=" + fifth.page() + "&since=0");
            server.page(fifth.page()).writer().text("#a", "one").flush();
            HttpBrowser.Resp poll = b.get("/poll?page=" + fifth.page() + "&since=0");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 3000, "answered at once, not held: " + ms + " ms for three requests");
            assertEquals(200, sse.status());
            assertTrue(sse.header("Content-Type").startsWith("text/event-stream"), sse.header("Content-Type"));
            assertTrue(sse.body().contains("event: advice\ndata: " + ADVICE_POLL + "\n\n"), sse.body());
            assertEquals(200, iframe.status());
            assertTrue(iframe.body().contains("parent.Halley.advice(" + ADVICE_POLL + ",\"" + fifth.page() + "\")"),
                    iframe.body());
            assertEquals(200, poll.status());
            JsonObject answer = poll.json();
            assertEquals(2000, answer.getAsJsonObject("advice").get("poll").getAsInt(), poll.body());
            assertEquals(1, answer.getAsJsonArray("frames").size(), "the poll carries the frames there are: " + poll.body());
            assertEquals(1, answer.getAsJsonArray("frames").get(0).getAsJsonObject().get("seq").getAsLong());
            assertEquals(4, server.servlet().heldConnections(), "nothing of the fifth page is held");

            // a page at the budget reconnecting replaces its own stream: admitted
            FrameStream again = Transport.SSE.open(b, pages.get(0).page(), 0);
            assertEquals(200, again.status());
            assertEquals(4, server.servlet().streamsOfBrowser(browser), "still four pages");
            Await.until("the replaced stream ended", () -> server.servlet().heldConnections() == 4);
            held.set(0, again);

            // another browser is not affected
            HttpBrowser other = new HttpBrowser(server);
            FrameStream theirs = Transport.SSE.open(other, other.openPage().page(), 0);
            assertEquals(200, theirs.status());
            Await.until("the other browser's stream is held", () -> server.servlet().heldConnections() == 5);
            assertEquals(1, server.servlet().streamsOfBrowser(cookie(other)));

            // a stream of the browser ends: its fifth page may stream now
            held.get(1).close();
            Await.until("the budget has room again", () -> server.servlet().streamsOfBrowser(browser) == 3);
            FrameStream fifthStream = Transport.SSE.open(b, fifth.page(), 0);
            assertEquals(200, fifthStream.status());
            assertEquals(1, fifthStream.next().get("seq").getAsLong(), "a held stream, with the page's frame");
            assertEquals(4, server.servlet().streamsOfBrowser(browser), () -> "held requests " + server.servlet().heldConnections()
                    + ", the fifth page " + (server.halley().pages().stream().anyMatch(pg -> pg.id().equals(fifth.page())) ? "alive" : "dead")
                    + ", slow SSE streams dropped " + server.halley().metrics().transport("sse").slowConsumersDropped()
                    + ", SSE streams held " + server.halley().metrics().transport("sse").heldStreams());

            for (FrameStream s : held) s.close();
            fifthStream.close();
            theirs.close();
            Await.until("every slot given back", () -> server.servlet().heldConnections() == 0
                    && server.servlet().streamsOfBrowser(browser) == 0);
        });
    }

    @Test
    void aBudgetOfZeroHoldsEveryStream() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("maxStreamsPerBrowser", "0");
            server = Container.start(Container.JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            List<FrameStream> held = new ArrayList<>();
            for (int i = 0; i < 6; i++) held.add(Transport.SSE.open(b, b.openPage().page(), 0));
            Await.until("six streams held", () -> server.servlet().heldConnections() == 6);
            for (FrameStream s : held) s.close();
        });
    }

    /**
     * Over HTTP/2 (h2c: the JDK client upgrades its connection) every stream of one browser is
     * held: they share one connection, so the budget does not apply.
     */
    @Test
    void overHttp2EveryStreamOfOneBrowserIsHeld() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Server jetty = new Server();
            HttpConfiguration config = new HttpConfiguration();
            ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config),
                    new HTTP2CServerConnectionFactory(config));
            connector.setHost("127.0.0.1");
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            CometServlet servlet = new CometServlet();
            ServletHolder holder = new ServletHolder("halley", servlet);
            holder.setAsyncSupported(true);
            TestServer.fastParams().forEach(holder::setInitParameter);
            context.addServlet(holder, "/halley/*");
            jetty.setHandler(context);
            jetty.start();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
            List<InputStream> bodies = new ArrayList<>();
            try {
                String origin = "http://127.0.0.1:" + connector.getLocalPort();
                // the first request upgrades the connection to h2c (the JDK client does so on a request without a body)
                HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(origin + "/halley/halley.js")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_2, script.version(), "the connection speaks h2c");
                for (int i = 0; i < 6; i++) {
                    HttpResponse<String> opened = http.send(HttpRequest.newBuilder(URI.create(origin + "/halley/page"))
                            .header("Origin", origin).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, opened.statusCode(), opened.body());
                    String page = JsonParser.parseString(opened.body()).getAsJsonObject().get("page").getAsString();
                    HttpResponse<InputStream> stream = http.sendAsync(HttpRequest.newBuilder(
                                    URI.create(origin + "/halley/sse?page=" + page + "&since=0")).build(),
                            HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
                    assertEquals(HttpClient.Version.HTTP_2, stream.version());
                    assertEquals(200, stream.statusCode());
                    bodies.add(stream.body());
                    byte[] head = stream.body().readNBytes(": halley\n\n".length());
                    assertEquals(": halley\n\n", new String(head, StandardCharsets.US_ASCII));
                }
                Await.until("six streams of one browser held over HTTP/2", () -> servlet.heldConnections() == 6);
            } finally {
                for (InputStream in : bodies) in.close();
                jetty.stop();
            }
        });
    }

    private static String cookie(HttpBrowser b) {
        String header = b.cookieHeader();
        for (String part : header.split(";\\s*")) {
            if (part.startsWith("HALLEY_BROWSER=")) return part.substring("HALLEY_BROWSER=".length());
        }
        throw new AssertionError("no HALLEY_BROWSER cookie in " + header);
    }
}
