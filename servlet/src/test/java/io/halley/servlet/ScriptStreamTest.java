package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonParser;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Play-style helper on a real Jetty, read by a slow raw-socket client. */
class ScriptStreamTest {
    private static final int COUNT = 10_000;
    private static final String EVIL = "</script><script>alert(1)</script><!-- \u2028\u2029 'q' & \"dq\"";

    private Server server;
    private int port;
    private final AtomicInteger produced = new AtomicInteger();

    private static String message(int i) {
        return i + ":" + (i % 100 == 0 ? EVIL : "x".repeat(2000));
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                // A cold publisher: production starts when the stream subscribes, and submit()
                // blocks while the subscriber has not asked for more (its buffer holds 32).
                Flow.Publisher<String> cold = subscriber -> {
                    SubmissionPublisher<String> pub = new SubmissionPublisher<>(Runnable::run, 32);
                    pub.subscribe(subscriber);
                    Thread producer = new Thread(() -> {
                        for (int i = 0; i < COUNT; i++) {
                            pub.submit(message(i));
                            produced.incrementAndGet();
                        }
                        pub.close();
                    }, "test-producer");
                    producer.setDaemon(true);
                    producer.start();
                };
                ScriptStream.builder("parent.cometMessage").nonce("abc123").build().stream(req, resp, cold);
            }
        });
        holder.setAsyncSupported(true);
        ctx.addServlet(holder, "/stream");
        ServletHolder async = new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                // SubmissionPublisher's own executor: onSubscribe, onNext and onComplete arrive on
                // pool threads, racing with the container's onWritePossible
                Flow.Publisher<String> pub = subscriber -> {
                    SubmissionPublisher<String> p = new SubmissionPublisher<>();
                    p.subscribe(subscriber);
                    for (int i = 0; i < 20; i++) p.submit("m" + i);
                    p.close();
                };
                ScriptStream.builder("f").padding(0).build().stream(req, resp, pub);
            }
        });
        async.setAsyncSupported(true);
        ctx.addServlet(async, "/async");
        server.setHandler(ctx);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    @Timeout(60)
    void tenThousandStringsReachASlowReaderWholeInOrderAndEscaped() throws Exception {
        int maxAhead = 0;
        byte[] body;
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int reads = 0;
            int received = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
                for (int i = 0; i < n; i++) if (buf[i] == ';') received++; // one ';' per chunk, none in messages
                if (++reads % 4 == 0) {
                    Thread.sleep(1); // a slow reader: the server must wait for it, not buffer everything
                    maxAhead = Math.max(maxAhead, produced.get() - received);
                }
                assertTrue(System.nanoTime() < deadline, "stream did not end in time: received " + received
                        + ", produced " + produced.get());
            }
            body = all.toByteArray();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        int headerEnd = text.indexOf("\r\n\r\n");
        String head = text.substring(0, headerEnd).toLowerCase();
        assertTrue(head.startsWith("http/1.1 200"), head);
        assertTrue(head.matches("(?s).*content-type: text/html; ?charset=utf-8.*"), head);
        String rest = text.substring(headerEnd + 4);
        String payload = head.contains("transfer-encoding: chunked") ? dechunk(rest) : rest;
        assertTrue(payload.startsWith(" ".repeat(5120) + "<html><body>"), "initial blank buffer");
        assertFalse(payload.contains("</script><script>alert"), "a message broke out of its script element");
        assertFalse(payload.contains("<!--"), "comment opener reached the page raw");
        assertFalse(payload.contains("\u2028"), "raw U+2028 reached the page");

        Matcher m = Pattern.compile("<script nonce=\"abc123\">parent\\.cometMessage\\((.*?)\\);</script>\n").matcher(payload);
        List<String> messages = new ArrayList<>();
        while (m.find()) messages.add(JsonParser.parseString(m.group(1)).getAsString());
        assertEquals(COUNT, messages.size(), "every message arrived");
        for (int i = 0; i < COUNT; i++) assertEquals(message(i), messages.get(i), "message " + i);
        // Back-pressure: the producer never ran far ahead of the slow reader (20 MB in all). In flight
        // can be the publisher's buffer (32), one batch (16) and the socket buffers (a few MB).
        assertTrue(maxAhead < COUNT / 2, "producer ran " + maxAhead + " messages ahead");
    }

    @Test
    @Timeout(60)
    void signalsFromPublisherThreadsRacingTheContainerAreNeverLost() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int round = 0; round < 40; round++) {
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/async")).timeout(java.time.Duration.ofSeconds(10)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            for (int i = 0; i < 20; i++) {
                assertTrue(r.body().contains("<script>f(\"m" + i + "\");</script>"), "round " + round + " lost m" + i + ": " + r.body());
            }
        }
    }

    @Test
    void invalidCallbackNamesAndNoncesAreRefused() {
        for (String bad : new String[] {"alert(1)", "a b", "x;y", "", "1abc", "a..b"}) {
            assertThrows(IllegalArgumentException.class, () -> ScriptStream.builder(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ScriptStream.builder("f").nonce("\"><script>"));
    }

    /** Decodes an HTTP/1.1 chunked body (ASCII payload). */
    private static String dechunk(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int lineEnd = s.indexOf("\r\n", i);
            String sizeLine = s.substring(i, lineEnd).trim();
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt(semi >= 0 ? sizeLine.substring(0, semi) : sizeLine, 16);
            if (size == 0) break;
            out.append(s, lineEnd + 2, lineEnd + 2 + size);
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
