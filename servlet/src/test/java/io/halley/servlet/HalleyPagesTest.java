package io.halley.servlet;

import static io.halley.servlet.Container.TOMCAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.Container;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Server-rendered pages: open, bootstrap snippet, CSP nonce, and a configured subclass. */
class HalleyPagesTest {
    private static final Pattern BOOT = Pattern.compile(
            "<script nonce=\"n0nce\">window\\.HALLEY_PAGE=(\\{.*?\\});</script><script nonce=\"n0nce\" src=\"([^\"]+)\"></script>");

    private TestServer server;

    /** What an application does: a subclass configured in code instead of init-params. */
    static final class NoncedComet extends CometServlet {
        @Override
        protected void configure(CometSettings.Builder settings) {
            settings.cspNonce(req -> "n0nce");
        }

        @Override
        protected void configure(Halley.Builder halley) {
            halley.maxPagesPerSession(7);
        }
    }

    static final class RenderServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Page page = HalleyPages.open(req);
            page.writer().text("#hello", "rendered").flush();
            resp.setContentType("text/html; charset=utf-8");
            resp.getWriter().print("<!DOCTYPE html><html><head>" + HalleyPages.bootstrap(req, page) + "</head></html>");
        }
    }

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aRenderedPageIsBootstrappedAndBoundToTheSession(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(c, new NoncedComet(), TestServer.fastParams(), Map.of("/render", new RenderServlet()));
            assertEquals(7, server.halley().config().maxPagesPerSession(), "configure(Halley.Builder) applied");
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.Resp html = b.send(java.net.http.HttpRequest.newBuilder(server.root().resolve(Container.CONTEXT + "/render")).build());
            assertEquals(200, html.status());
            Matcher m = BOOT.matcher(html.body());
            assertTrue(m.find(), html.body());
            JsonObject boot = JsonParser.parseString(m.group(1)).getAsJsonObject();
            assertEquals("/app/halley", boot.get("base").getAsString());
            assertEquals("/app/halley/halley.js", m.group(2));
            String pageId = boot.get("page").getAsString();
            assertTrue(server.page(pageId).checkToken(boot.get("token").getAsString()));

            FrameStream.Iframe w = (FrameStream.Iframe) Transport.IFRAME.open(b, pageId, 0);
            assertEquals("rendered", w.next().getAsJsonArray("cmds").get(0).getAsJsonObject().get("text").getAsString());
            assertEquals("<script nonce=\"n0nce\">", w.firstScriptTag(), "iframe scripts carry the nonce");
            w.close();
            new HttpBrowser(server).get("/sse?page=" + pageId).assertError(403);
        });
    }

    @Test
    void bootstrapJsonCannotBreakOutOfItsScript() {
        JsonObject o = new JsonObject();
        o.addProperty("base", "/x</script><script>alert(1)//\u2028<!--");
        String json = HalleyPages.scriptJson(o);
        assertFalse(json.contains("</") || json.contains("<!--") || json.contains("\u2028"), json);
        assertEquals(o, JsonParser.parseString(json));
        assertEquals("&quot;&gt;&lt;x&amp;&#39;", HalleyPages.attribute("\"><x&'"));
    }

    @Test
    void openWithoutARuntimeFailsClearly() {
        jakarta.servlet.ServletContext ctx = (jakarta.servlet.ServletContext) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {jakarta.servlet.ServletContext.class}, (p, method, args) -> null);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> HalleyPages.halley(ctx));
        assertTrue(e.getMessage().contains("io.halley.core.Halley"), e.getMessage());
    }

    @Test
    void anApplicationProvidedRuntimeIsUsedAndNotClosed() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Halley mine = Halley.builder().pageLease(Duration.ofSeconds(3)).build();
            CometServlet servlet = new CometServlet() {
                @Override
                public void init() throws jakarta.servlet.ServletException {
                    getServletContext().setAttribute(Halley.class.getName(), mine);
                    super.init();
                }
            };
            try {
                server = Container.start(TOMCAT, servlet, Map.of("heartbeat", "0.2"), Map.of());
                assertTrue(server.halley() == mine);
                HttpBrowser b = new HttpBrowser(server);
                b.openPage();
                assertEquals(1, mine.pageCount());
                TestServer s = server;
                server = null;
                s.stop(); // its sessions end, and with them their pages
                Page after = mine.open("another-session");
                assertTrue(after.isAlive(), "the servlet did not close the application's runtime");
            } finally {
                mine.close();
            }
            assertEquals(0, mine.pageCount());
        });
    }
}
