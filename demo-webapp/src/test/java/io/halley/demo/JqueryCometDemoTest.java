package io.halley.demo;

import io.halley.demo.jq.JqFeed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;

/**
 * The jQuery.comet page: a plugin with jQuery.comet's API (the original is not shipped) long-polls
 * {@code /halley/push/sub?channel=feed-jq} and gets the server's once-a-second messages as
 * {@code tick.comet} events, in order and without a gap; notes posted from the page arrive as
 * {@code note.comet} events and hostile ones stay text.
 */
class JqueryCometDemoTest extends OneBrowserTest {
    @Test
    void publishedMessagesArriveInOrderThroughThePlugin() {
        WebDriver d = browser.driver();
        d.get(url("jquery-comet.html"));
        assertEquals("undefined", js(d, "return typeof window.Halley"), "no Halley client on this page");
        await(d, "3 ticks", x -> ticks(x).size() >= 3);
        long first = last(ticks(d));
        await(d, "3 more ticks, published after the page opened", Duration.ofSeconds(6), x -> last(ticks(x)) >= first + 3);
        List<Long> n = ticks(d);
        for (int i = 1; i < n.size(); i++) {
            assertEquals(n.get(i - 1) + 1, n.get(i), "tick " + i + " follows tick " + (i - 1) + ": " + n);
        }
        assertEquals("receiving", textContent(d, "#status"));
        assertTrue(textContent(d, "#feed").contains("tick #" + n.get(n.size() - 1) + " from node " + server.halley().config().nodeId()));
    }

    @Test
    void hostileNotesStayText() {
        WebDriver d = browser.driver();
        d.get(url("jquery-comet.html"));
        await(d, "ticks", x -> !ticks(x).isEmpty());
        recordAlerts(d);
        for (String p : Payloads.ALL) {
            assertEquals(Boolean.TRUE, js(d, "return jqDemo.note(arguments[0])", p));
            await(d, "the note arrives", x -> notes(x).contains(p));
            assertTrue(((String) js(d, "return Array.from(document.querySelectorAll('#feed li.note .text'))"
                    + ".map(function (s) { return s.textContent; }).join('\\n')")).contains(p), "shown as text");
        }
        assertEquals(List.copyOf(Payloads.ALL), notes(d), "in order");
        // and one published by server code, as any Halley channel message
        server.halley().publish(JqFeed.CHANNEL, Map.of("type", "note", "data", Map.of("text", Payloads.IMG, "time", "now")));
        await(d, "the server's note", x -> notes(x).size() == 4);
        assertEquals(0L, js(d, "return document.querySelectorAll('#feed img, #feed svg, #feed script').length"));
        assertEquals(List.of(), recordedAlerts(d));
        assertNoAlertDialog(d);

        js(d, "document.getElementById('note').value = ''");
        assertEquals(Boolean.FALSE, js(d, "return jqDemo.note('   ')"));
        assertEquals("Not posted: nothing to post", textContent(d, "#note-error"));
    }

    private static long last(List<Long> list) {
        return list.get(list.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private static List<Long> ticks(WebDriver d) {
        return (List<Long>) js(d, "return jqDemo.received.filter(function (e) { return e.type === 'tick'; })"
                + ".map(function (e) { return e.n; })");
    }

    @SuppressWarnings("unchecked")
    private static List<String> notes(WebDriver d) {
        return (List<String>) js(d, "return jqDemo.received.filter(function (e) { return e.type === 'note'; })"
                + ".map(function (e) { return e.text; })");
    }
}
