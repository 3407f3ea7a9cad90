package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.gson.JsonObject;
import io.halley.core.Page;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A page open in Chromium on its SSE stream alone keeps its {@code HttpSession} alive past two
 * and a half session timeouts (halley.js touches the session as the server tells it), so that a
 * page POST after that still finds the session and its push is delivered; with
 * {@code keepSessionAlive} off the session ends and the page is told ({@code sessionended}). On
 * Tomcat and Jetty, with a session timeout of 3 s set on the session (the client touches it every
 * second, so a browser or container stalled for 2 s is still in time; a 2 s timeout left 1 s, and
 * a stall in a full CI run once ended the session on Tomcat).
 */
class SessionKeepAliveTest {
    static final int TIMEOUT_SECONDS = 3;
    private TestServer server;
    private BrowserPage browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    /** GET: a session holding a name, timing out after {@link #TIMEOUT_SECONDS}; a page connecting on SSE. */
    static final class Start extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession s = req.getSession(true);
            s.setMaxInactiveInterval(TIMEOUT_SECONDS);
            s.setAttribute("name", "Alice");
            resp.setContentType("text/html;charset=utf-8");
            // rendered: the page opened here and handed over by HalleyPages.bootstrap, as the demo's chat does
            // options: the page opened here and passed to Halley.connect as options (no touch given)
            String rendered = req.getParameter("rendered");
            Page page = rendered == null ? null : HalleyPages.open(req);
            String client = "bootstrap".equals(rendered)
                    ? HalleyPages.bootstrap(req, page)
                    : "<script src=\"halley/halley.js\"></script>";
            String given = "options".equals(rendered) ? "page: '" + page.id() + "', token: '" + page.token() + "', " : "";
            resp.getWriter().write("<!doctype html><html><body><p id=echo></p>"
                    + client + "<script>"
                    + "window.ended = 0; window.conn = Halley.connect({ " + given + "base: '" + Container.CONTEXT + "/halley', transports: ['sse'] });"
                    + "conn.on('open', function () { window.opened = true; });"
                    + "conn.on('sessionended', function (d) { window.ended++; window.reason = d.reason; });"
                    + "</script></body></html>");
        }
    }

    /** POST {page}: pushes the session's name to the page; 400 when the session is gone. */
    static final class Echo extends PagePostServlet {
        @Override
        protected JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
            HttpSession s = req.getSession(false);
            Object name = s == null ? null : s.getAttribute("name");
            if (name == null) throw badInput("the session is gone");
            page.writer().text("#echo", name + " still here").flush();
            return new JsonObject();
        }
    }

    private void open(Container c, boolean keep) throws Exception {
        open(c, keep, null);
    }

    /** {@code rendered}: null (the client opens its page), "bootstrap" or "options" (the server opened it). */
    private void open(Container c, boolean keep, String rendered) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(TestServer.fastParams());
        params.put("keepSessionAlive", String.valueOf(keep));
        params.put("pageLease", "PT30S");
        Map<String, HttpServlet> extra = new LinkedHashMap<>();
        extra.put("/start", new Start());
        extra.put("/echo", new Echo());
        server = Container.start(c, new CometServlet(), params, extra);
        browser = Chromium.start();
        browser.get(server.root() + "/start" + (rendered != null ? "?rendered=" + rendered : ""));
        browser.await("the page connected", d -> Boolean.TRUE.equals(browser.js("return window.opened === true;")));
    }

    static java.util.List<org.junit.jupiter.params.provider.Arguments> renderedPages() {
        java.util.List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
        for (Container c : Container.values()) for (String r : new String[] {"bootstrap", "options"}) out.add(org.junit.jupiter.params.provider.Arguments.of(c, r));
        return out;
    }

    private long echo() {
        Object status = ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch('" + Container.CONTEXT + "/echo', { method: 'POST', headers: { 'Content-Type': 'application/json',"
                        + " 'X-Halley-Token': conn.token }, body: JSON.stringify({ page: conn.page }) })"
                        + ".then(function (r) { done(r.status); }, function () { done(-1); });");
        return ((Number) status).longValue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Container.class)
    void aPageOnItsStreamAloneKeepsItsSessionPastTwiceTheTimeout(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            open(c, true);
            Thread.sleep(TIMEOUT_SECONDS * 2500L);
            assertEquals(200, echo(), "the session lived on: the POST was accepted");
            browser.await("the push was delivered", d -> "Alice still here".equals(browser.textContent("#echo")));
            assertEquals(0L, ((Number) browser.js("return window.ended;")).longValue(), "no sessionended");
        });
    }

    /**
     * The same for a page the server opened while it rendered the HTML and handed over with
     * {@link HalleyPages#bootstrap} (the demo's chat): the bootstrap carries {@code touch}, so the
     * client keeps the session alive without ever having sent {@code POST /page}; a page passed
     * to {@code Halley.connect} as options asks for it with one {@code GET /page}. (Found by
     * {@code ChatSessionTimeoutIT}: such a page lost its session after one timeout on Tomcat.)
     */
    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("renderedPages")
    void aServerRenderedPageOnItsStreamAloneKeepsItsSessionToo(Container c, String rendered) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            open(c, true, rendered);
            String page = (String) browser.js("return conn.page;");
            Thread.sleep(TIMEOUT_SECONDS * 2500L);
            assertEquals(page, browser.js("return conn.page;"), "the page the server rendered is still the page");
            assertEquals(200, echo(), "the session lived on: the POST was accepted");
            browser.await("the push was delivered", d -> "Alice still here".equals(browser.textContent("#echo")));
            assertEquals(0L, ((Number) browser.js("return window.ended;")).longValue(), "no sessionended");
        });
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Container.class)
    void withoutKeepAliveTheSessionEndsAndThePageIsTold(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            open(c, false);
            Thread.sleep(TIMEOUT_SECONDS * 2500L);
            assertNotEquals(200, echo(), "the session ended: the POST was refused");
            browser.await("the page was told its session ended", Duration.ofSeconds(15),
                    d -> ((Number) browser.js("return window.ended;")).longValue() >= 1);
            assertEquals("session ended", browser.js("return window.reason;"));
        });
    }
}
