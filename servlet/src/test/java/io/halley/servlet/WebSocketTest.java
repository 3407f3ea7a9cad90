package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WebSocket transport ({@code GET /halley/ws}, upgraded through the container's
 * {@code ServerContainer}) on Jetty 12 ee10 and Tomcat 10.1, with the JDK's WebSocket client:
 * the same frames and sequence numbers as the other transports, resume from {@code since}, a
 * second transport replacing the socket (1000), a dead page closing it with 4410 after its last
 * frames, the origin check and session binding refusing the upgrade with the usual statuses, the
 * held-connection accounting; a container without WebSocket support answers 404 JSON.
 */
class WebSocketTest {
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    /** What one socket received: each text message's frames, and how it closed. */
    private static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonElement> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                for (JsonElement f : JsonParser.parseString(text.toString()).getAsJsonArray()) frames.add(f);
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        long nextSeq() throws InterruptedException {
            JsonElement f = frames.poll(10, TimeUnit.SECONDS);
            if (f == null) throw new AssertionError("no frame within 10 s");
            return f.getAsJsonObject().get("seq").getAsLong();
        }
    }

    private WebSocket connect(HttpBrowser b, String page, long since, String origin, Client c) throws Exception {
        URI uri = URI.create(server.uri("/ws?page=" + page + "&since=" + since).toString().replaceFirst("^http", "ws"));
        WebSocket.Builder wb = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) wb.header("Origin", origin);
        String cookie = b.cookieHeader();
        if (!cookie.isEmpty()) wb.header("Cookie", cookie);
        return wb.buildAsync(uri, c).get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void framesArriveInOrderResumeFromSinceAndEndWithThePage(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            server = Container.start(container, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            for (int i = 1; i <= 3; i++) server.page(p.page()).writer().text("#n", "f" + i).flush();
            Client c1 = new Client();
            WebSocket ws1 = connect(b, p.page(), 0, server.origin(), c1);
            assertEquals(List.of(1L, 2L, 3L), List.of(c1.nextSeq(), c1.nextSeq(), c1.nextSeq()));
            server.page(p.page()).writer().text("#n", "f4").flush();
            assertEquals(4, c1.nextSeq());
            Await.until("the socket is a held connection", () -> server.servlet().heldConnections() == 1);
            io.halley.core.metrics.TransportMeters ws = server.halley().metrics().transport("ws");
            assertEquals(1, ws.heldStreams(), "the ws meter counts the held socket");

            // a second transport for the page replaces the socket; it resumes from its since
            Client c2 = new Client();
            connect(b, p.page(), 2, server.origin(), c2);
            assertEquals(1000, c1.closed.get(10, TimeUnit.SECONDS), "replaced: a normal close");
            assertEquals(List.of(3L, 4L), List.of(c2.nextSeq(), c2.nextSeq()));
            Await.until("one held connection", () -> server.servlet().heldConnections() == 1);

            // the page dies: its last frames, then 4410
            server.page(p.page()).writer().text("#n", "last").flush();
            server.page(p.page()).close();
            assertEquals(5, c2.nextSeq());
            assertEquals(4410, c2.closed.get(10, TimeUnit.SECONDS));
            Await.until("the slot is given back", () -> server.servlet().heldConnections() == 0);
            Await.until("the ws meter holds none", () -> ws.heldStreams() == 0);
            assertEquals(7, ws.framesWritten(), "frames 1-4 on the first socket, 3-5 on the second");
            ws1.abort();
        });
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theUpgradeIsRefusedLikeAnyTransportRequest(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            server = Container.start(container, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            assertEquals(403, refusal(b, p.page(), "https://evil.example"), "a foreign origin");
            assertEquals(403, refusal(b, p.page(), null), "no origin");
            HttpBrowser other = new HttpBrowser(server);
            other.openPage();
            assertEquals(403, refusal(other, p.page(), server.origin()), "another browser's page");
            assertEquals(404, refusal(b, "AAAAAAAAAAAAAAAAAAAAAA", server.origin()), "an unknown page");
            b.get("/ws?page=" + p.page()).assertError(400); // not an upgrade
            assertEquals(0, server.servlet().heldConnections());
        });
    }

    private int refusal(HttpBrowser b, String page, String origin) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect(b, page, 0, origin, new Client()));
        assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
        WebSocketHandshakeException h = (WebSocketHandshakeException) e.getCause();
        Object body = h.getResponse().body();
        assertTrue(body == null || !String.valueOf(body).contains("Exception"), String.valueOf(body));
        return h.getResponse().statusCode();
    }

    /** A Jetty without its WebSocket server: {@code /ws} is 404 JSON, and halley.js falls back to its next transport. */
    @Test
    void aContainerWithoutWebSocketsAnswers404() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
            ServletHolder holder = new ServletHolder("halley", new CometServlet());
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/halley/*");
            jetty.setHandler(context);
            jetty.start();
            try {
                URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/halley/ws?page=AAAAAAAAAAAAAAAAAAAAAA");
                try (RawHttp r = RawHttp.get(uri, "", Map.of("Upgrade", "websocket", "Connection", "Upgrade",
                        "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), false)) {
                    assertEquals(404, r.status());
                    InputStream in = r.body();
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(body.contains("WebSocket is not available"), body);
                }
            } finally {
                jetty.stop();
            }
        });
    }
}
