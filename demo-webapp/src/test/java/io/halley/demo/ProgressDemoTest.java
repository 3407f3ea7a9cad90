package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The progress page (Sijax's streamed callbacks): the bar moves through visible steps, one frame
 * per flush, to 100 % and the result; a line queued after the last flush still arrives; a failing
 * callback rejects the promise with its message, and what it queued before throwing arrives.
 */
class ProgressDemoTest extends OneBrowserTest {
    @BeforeEach
    void openThePage() {
        WebDriver d = browser.driver();
        d.get(url("progress.html"));
        await(d, "connected", x -> Boolean.TRUE.equals(js(x, "return progressDemo.conn.connected")));
        recordEveryValue(d);
    }

    @Test
    void theBarReachesHundredPercentThroughVisibleStepsThenTheResult() {
        WebDriver d = browser.driver();
        d.findElement(By.id("steps")).clear();
        d.findElement(By.id("steps")).sendKeys("5");
        d.findElement(By.id("run")).click();
        await(d, "the result", x -> textContent(x, "#result").startsWith("Result:"));

        List<String> widths = seen(d, "width");
        List<String> texts = seen(d, "pct");
        assertEquals("100%", widths.get(widths.size() - 1), "the bar ends full: " + widths);
        assertEquals("100%", texts.get(texts.size() - 1), "the text ends at 100 %: " + texts);
        List<String> between = new ArrayList<>(new LinkedHashSet<>(widths));
        between.removeIf(w -> w.equals("0%") || w.equals("100%"));
        assertTrue(between.size() >= 3, "at least 3 intermediate widths were shown: " + widths);
        assertEquals(List.of("20%", "40%", "60%", "80%"), between, "each step, in order, shown as its own frame");
        List<String> pcts = new ArrayList<>(new LinkedHashSet<>(texts));
        pcts.removeIf(t -> t.equals("0%") || t.equals("100%"));
        assertEquals(List.of("20%", "40%", "60%", "80%"), pcts);

        // 41,538 primes below 500,000: the callback's return value resolved the promise
        assertTrue(textContent(d, "#result").startsWith("Result: 41,538 primes below 500,000, in 5 steps"), textContent(d, "#result"));
        assertEquals("This line was queued after the last flush() and still arrived, with the result.", textContent(d, "#after"));
        assertEquals("bar-fill done", d.findElement(By.id("bar")).getAttribute("class"));
        assertEquals("100", d.findElement(By.id("progress")).getAttribute("aria-valuenow"));
        assertEquals("Step 5 of 5: 41,538 primes below 500,000", textContent(d, "#step"));
        assertTrue(d.findElement(By.id("run")).isEnabled(), "the button is back");
    }

    @Test
    void aFailingCallbackRejectsThePromiseWithItsMessage() {
        WebDriver d = browser.driver();
        d.findElement(By.id("fail")).click();
        await(d, "the rejection", x -> !textContent(x, "#error").isEmpty());
        assertEquals("Rejected: the disk is full (a simulated failure at step 3 of 5)", textContent(d, "#error"));
        assertEquals("Step 3 of 5: writing (queued before the throw, still delivered)", textContent(d, "#step"));
        assertEquals("40%", textContent(d, "#pct"));
        assertEquals(List.of("20%", "40%"), seen(d, "width").stream().filter(w -> !w.equals("0%")).distinct().toList());
        assertEquals("", textContent(d, "#result"));
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingRuns() {
        WebDriver d = browser.driver();
        Object message = js(d, "return progressDemo.run(99).then(function () { return 'resolved'; }, function (e) { return e.message; })");
        assertEquals("steps must be 1 to 20, not 99", message);
        assertEquals("Rejected: steps must be 1 to 20, not 99", textContent(d, "#error"));
        Object refused = js(d, "return progressDemo.conn.call('progress.run', 'many')"
                + ".then(function () { return 'resolved'; }, function (e) { return e.status + ' ' + e.message; })");
        assertTrue(String.valueOf(refused).startsWith("400 "), String.valueOf(refused));
        assertEquals(List.of(), seen(d, "width").stream().filter(w -> !w.equals("0%")).toList(), "the bar never moved");
    }

    /**
     * A MutationObserver records every value the bar's width and the percentage text take, in
     * order, including the ones replaced before the observer's callback ran (from the records'
     * old values), so that no step can hide behind a later one.
     */
    private static void recordEveryValue(WebDriver d) {
        js(d, "var seen = window.__seen = { width: [], pct: [] };"
                + "var bar = document.getElementById('bar'), pct = document.getElementById('pct');"
                + "function add(list, v) { if (v != null && list[list.length - 1] !== v) list.push(v); }"
                + "function width(style) { var m = /width:\\s*([^;]+)/.exec(style || ''); return m ? m[1].trim() : null; }"
                + "new MutationObserver(function (records) {"
                + "  records.forEach(function (r) { add(seen.width, width(r.oldValue)); });"
                + "  add(seen.width, bar.style.width);"
                + "}).observe(bar, { attributes: true, attributeFilter: ['style'], attributeOldValue: true });"
                + "new MutationObserver(function (records) {"
                + "  records.forEach(function (r) { r.removedNodes.forEach(function (n) { add(seen.pct, n.textContent); }); });"
                + "  add(seen.pct, pct.textContent);"
                + "}).observe(pct, { childList: true, characterData: true, subtree: true });");
    }

    @SuppressWarnings("unchecked")
    private static List<String> seen(WebDriver d, String what) {
        Map<String, List<String>> all = (Map<String, List<String>>) js(d, "return window.__seen");
        return all.get(what);
    }
}
