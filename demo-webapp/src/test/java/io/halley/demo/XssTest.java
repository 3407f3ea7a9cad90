package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.core.Page;
import io.halley.core.PageWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.WebDriver;

/**
 * Hostile strings pushed through every command that carries text or attributes, over each
 * transport (SSE, iframe, poll, WebSocket; the iframe one puts frames inside {@code <script>}
 * elements, the WebSocket one hands each message's JSON to {@code JSON.parse}): they stay text, and no
 * alert ever opens, neither a real dialog nor a call of {@code window.alert} other than the
 * {@code alert} command's own, whose message is the payload, as text.
 *
 * <p>{@code update} and {@code append} insert HTML by definition (like Sijax's {@code html}); for
 * them only the {@code <script>} payload is checked (elements inserted as HTML never run their
 * scripts). Untrusted text goes through {@code text}, or is escaped first, as the chat does.
 */
class XssTest extends OneBrowserTest {
    @ParameterizedTest
    @ValueSource(strings = {"sse", "iframe", "poll", "ws"})
    void payloadsStayTextInEveryCommand(String transport) {
        WebDriver d = browser.driver();
        d.get(url("transports.html?transport=" + transport));
        // the page's buttons name sse, iframe and poll; the WebSocket is taken through its API, as
        // Halley.connect({transport: 'ws'}) takes it (a new page, only that transport)
        if (transport.equals("ws")) js(d, "transportsDemo.use('ws')");
        await(d, "connected over " + transport, x -> Boolean.TRUE.equals(js(x, "return transportsDemo.conn.connected"))
                && transport.equals(js(x, "return transportsDemo.conn.transport")));
        installProbes(d);
        Page page = page((String) js(d, "return transportsDemo.conn.page"));

        List<String> alerts = new ArrayList<>();
        for (String p : Payloads.ALL) {
            PageWriter w = page.writer();
            w.text("#p-text", p)
                    .attr("#p-attr", "title", p)
                    .attr("#p-attr", "data-x", p)
                    .attr("#p-attr", "href", "javascript:alert(1)") // refused by the client
                    .css("#p-css", "--probe", p)
                    .css("#p-css", "font-family", p)
                    .value("#p-value", p)
                    .call("probe.call", p, Map.of("k", p))
                    .event("probe", Map.of("k", p))
                    .notice(p)
                    .alert(p);
            alerts.add(p);
            w.flush();

            String json = (String) js(d, "return JSON.stringify(arguments[0])", p);
            await(d, "text shows the payload over " + transport, x -> p.equals(textContent(x, "#p-text")));
            assertEquals(p, js(d, "return document.getElementById('p-attr').getAttribute('title')"));
            assertEquals(p, js(d, "return document.getElementById('p-attr').getAttribute('data-x')"));
            assertEquals("#", js(d, "return document.getElementById('p-attr').getAttribute('href')"), "javascript: URL refused");
            assertEquals(p, ((String) js(d, "return document.getElementById('p-css').style.getPropertyValue('--probe')")).strip());
            assertEquals(p, js(d, "return document.getElementById('p-value').value"));
            assertEquals("[" + json + ",{\"k\":" + json + "}]", textContent(d, "#p-call"));
            assertEquals("{\"k\":" + json + "}", textContent(d, "#p-event"));
            assertEquals(p, textContent(d, "#halley-notice"));
            assertEquals(alerts, recordedAlerts(d), "alert() got exactly the alert commands' messages, as text");
        }

        // update and append insert HTML: a script inside never runs
        page.writer().update("#p-html", Payloads.SCRIPT).append("#p-html", Payloads.SCRIPT)
                .prepend("#p-html", Payloads.SCRIPT).text("#p-done", "done").flush();
        await(d, "the HTML commands applied", x -> "done".equals(textContent(x, "#p-done")));
        assertEquals(3L, js(d, "return document.querySelectorAll('#p-html script').length"), "inserted, inert");

        assertEquals(0L, js(d, "return document.querySelectorAll('#probe img, #probe svg').length"),
                "markup from a text or attribute command became elements");
        assertEquals(alerts, recordedAlerts(d), "no alert() besides the alert commands");
        assertNoAlertDialog(d);
    }

    /** Elements for the commands to act on, a function for {@code call}, a listener for {@code event}. */
    private static void installProbes(WebDriver d) {
        recordAlerts(d);
        js(d, "var box = document.createElement('section'); box.id = 'probe'; box.className = 'card';"
                + "box.innerHTML = '<p id=\"p-text\"></p><a id=\"p-attr\" href=\"#\">link</a><p id=\"p-css\">css</p>"
                + "<input id=\"p-value\"><p id=\"p-call\"></p><p id=\"p-event\"></p><div id=\"p-html\"></div><p id=\"p-done\"></p>';"
                + "document.querySelector('main').appendChild(box);"
                + "window.probe = { call: function () {"
                + "  document.getElementById('p-call').textContent = JSON.stringify(Array.prototype.slice.call(arguments)); } };"
                + "document.addEventListener('probe', function (e) {"
                + "  document.getElementById('p-event').textContent = JSON.stringify(e.detail); });");
    }
}
