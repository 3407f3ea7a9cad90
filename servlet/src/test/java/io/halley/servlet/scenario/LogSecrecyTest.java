package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Page;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slf4j-simple output (System.err, INFO and above) of a whole session — pages opened, streams
 * on every transport, calls, actions and functions that succeed and throw, refused requests
 * (wrong token, another session, bad input), dead pages — never contains a page id or a token.
 */
class LogSecrecyTest extends ScenarioTest {

    @Test
    void noPageIdOrTokenAppearsInAnyLogLine() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        List<String> secrets = new ArrayList<>();
        System.setErr(tee);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(40), () -> session(secrets));
        } finally {
            System.setErr(original);
        }
        String log;
        synchronized (captured) {
            log = captured.toString(StandardCharsets.UTF_8);
        }
        assertTrue(secrets.size() >= 6, "secrets collected: " + secrets.size());
        assertTrue(log.contains("INFO") || log.contains("WARN"), "the log was captured: " + log.length() + " chars");
        for (String line : log.split("\n")) {
            for (String s : secrets) {
                assertTrue(!line.contains(s), "a secret in the log: " + line);
            }
        }
    }

    private void session(List<String> secrets) throws Exception {
        TestServer server = start(params("pageLease", "PT1S"));
        server.halley().register("ok", (r, args) -> "fine");
        server.halley().register("boom", (r, args) -> {
            throw new IllegalStateException("callback failed");
        });
        server.halley().action("boom", params -> {
            throw new IllegalStateException("action failed");
        });
        HttpBrowser b = new HttpBrowser(server);
        HttpBrowser.PageRef p = b.openPage();
        HttpBrowser.PageRef dying = b.openPage();
        HttpBrowser other = new HttpBrowser(server);
        HttpBrowser.PageRef q = other.openPage();
        secrets.add(p.page());
        secrets.add(p.token());
        secrets.add(dying.page());
        secrets.add(dying.token());
        secrets.add(q.page());
        secrets.add(q.token());
        String session = b.cookieHeader().replaceAll(".*JSESSIONID=([^;]+).*", "$1");
        if (!session.isEmpty()) secrets.add(session.split("\\.")[0]);

        Page page = server.page(p.page());
        page.comet(c -> {
            c.text("#a", "one").flush();
            throw new IllegalStateException("function failed");
        });
        page.writer().text("#b", "two").flush();
        for (Transport t : Transport.values()) {
            try (FrameStream w = t.open(b, p.page(), 0)) {
                assertTrue(w.next() != null);
            }
        }
        assertEquals(202, b.pagePost(p, "/call/ok", "\"call\":\"c1\"").status());
        assertEquals(202, b.pagePost(p, "/call/boom", "\"call\":\"c2\"").status());
        assertEquals(202, b.pagePost(p, "/action/boom", "\"request\":\"r1\"").status());
        assertEquals(200, b.pagePost(p, "/subscribe", "\"channel\":\"news\"").status());
        server.halley().publish("news", "hello");

        // refused: wrong token, another session's page, bad input, foreign origin, unknown page
        b.post("/call/ok", "{\"page\":\"" + p.page() + "\"}", "Origin", b.origin(), "X-Halley-Token", q.token()).assertError(403);
        other.get("/sse?page=" + p.page() + "&since=0").assertError(403);
        Transport.WS.request(other, "page=" + p.page() + "&since=0").assertError(403);
        other.pagePost(new HttpBrowser.PageRef(p.page(), p.token()), "/call/ok", "").assertError(403);
        b.get("/poll?page=" + p.page() + "&since=-1").assertError(400);
        b.get("/poll?page=" + p.page() + "x&since=0").assertError(400);
        b.post("/page", "{}", "Origin", "https://evil.example").assertError(403);

        // a page that dies of its lease, then is asked for
        Await.until("the idle page dies", Duration.ofSeconds(10),
                () -> server.halley().pages().stream().noneMatch(x -> x.id().equals(dying.page())));
        b.get("/poll?page=" + dying.page() + "&since=0").assertError(410);
        Thread.sleep(200); // let asynchronous failures (callback, action, function) log
    }
}
