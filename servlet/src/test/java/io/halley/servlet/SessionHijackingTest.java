package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A page id is bound to the session that opened it: another session's cookie gets 403 (on every transport, the WebSocket upgrade included). */
class SessionHijackingTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anotherSessionGets403OnEveryTransport(Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser alice = new HttpBrowser(server);
            HttpBrowser mallory = new HttpBrowser(server);
            HttpBrowser.PageRef p = alice.openPage();
            mallory.openPage(); // mallory has a session of her own
            // ws: the upgrade request, with the browser's cookie and its page's Origin, refused with 403 JSON
            t.request(mallory, "page=" + p.page() + "&since=0").assertError(403);
            t.request(new HttpBrowser(server), "page=" + p.page()).assertError(403); // no session at all
            assertEquals(0, server.servlet().heldConnections());
            assertEquals(200, alice.get("/page?page=" + p.page()).status(), "the owner still may");
        });
    }

    @Test
    void anotherSessionGets403OnTheProbe() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser alice = new HttpBrowser(server);
            HttpBrowser mallory = new HttpBrowser(server);
            HttpBrowser.PageRef p = alice.openPage();
            mallory.openPage();
            mallory.get("/page?page=" + p.page()).assertError(403);
            HttpBrowser.Resp ok = alice.get("/page?page=" + p.page());
            assertEquals(200, ok.status());
            assertEquals(p.page(), ok.json().get("page").getAsString());
            assertEquals(true, ok.json().get("alive").getAsBoolean());
        });
    }

    @Test
    void anotherSessionGets403OnAPagePostEvenWithTheToken() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser alice = new HttpBrowser(server);
            HttpBrowser mallory = new HttpBrowser(server);
            HttpBrowser.PageRef p = alice.openPage();
            mallory.openPage();
            mallory.post("/action/echo", "{\"page\":\"" + p.page() + "\"}", "Origin", mallory.origin(),
                    "X-Halley-Token", p.token()).assertError(403);
        });
    }

    @Test
    void aBrowserWithoutASessionIsKnownByAnHttpOnlyCookieAndNoSessionIsCreated() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser alice = new HttpBrowser(server);
            HttpBrowser.Resp open = alice.post("/page", "{}", "Origin", alice.origin());
            assertEquals(200, open.status(), open.body());
            java.util.List<String> setCookies = open.raw().headers().allValues("Set-Cookie");
            assertEquals(1, setCookies.size(), "one cookie, no session cookie: " + setCookies);
            String c = setCookies.get(0);
            org.junit.jupiter.api.Assertions.assertTrue(c.matches("HALLEY_BROWSER=[A-Za-z0-9_-]{22};.*"), c);
            for (String attr : new String[] {"HttpOnly", "SameSite=Lax", "Path=" + Container.CONTEXT}) {
                org.junit.jupiter.api.Assertions.assertTrue(c.contains(attr), attr + " in " + c);
            }
            String page = open.json().get("page").getAsString();
            assertEquals(200, alice.get("/page?page=" + page).status(), "the cookie is the owner");
            HttpBrowser.Resp second = alice.post("/page", "{}", "Origin", alice.origin());
            assertEquals(java.util.List.of(), second.raw().headers().allValues("Set-Cookie"), "the cookie is kept, not renewed");
            HttpBrowser forger = new HttpBrowser(server);
            forger.get("/page?page=" + page, "Cookie", "HALLEY_BROWSER=not-an-id").assertError(403);
        });
    }

    @Test
    void withCreateSessionsAPageOpensAnHttpSessionInstead() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            java.util.Map<String, String> params = TestServer.fastParams();
            params.put("createSessions", "true");
            server = Container.start(JETTY, params);
            HttpBrowser alice = new HttpBrowser(server);
            HttpBrowser.Resp open = alice.post("/page", "{}", "Origin", alice.origin());
            String cookies = String.join(" | ", open.raw().headers().allValues("Set-Cookie"));
            org.junit.jupiter.api.Assertions.assertTrue(cookies.contains("JSESSIONID="), cookies);
            org.junit.jupiter.api.Assertions.assertFalse(cookies.contains("HALLEY_BROWSER"), cookies);
            assertEquals(200, alice.get("/page?page=" + open.json().get("page").getAsString()).status());
        });
    }
}
