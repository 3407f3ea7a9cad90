package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;

/**
 * halley.js in Chromium, resuming a channel from an id the server's numbering never reached (as
 * after a restart with in-memory history): it gets the {@code channelrestart} event, forgets the
 * old ids, and hands every message of the new numbering to the handler (ids far below the last
 * one it saw are not taken for replays).
 */
class ChannelRestartBrowserTest extends OneBrowserTest {

    @Test
    void aSubscriptionResumedPastTheNewestIdGetsTheRestartEventAndEveryNewMessage() {
        WebDriver d = browser.driver();
        d.get(url("progress.html"));
        js(d, "window.got = []; window.restarts = [];"
                + "window.resumed = Halley.connect();"
                + "resumed.on('channelrestart', function (e) { restarts.push(e.channel + ' ' + e.since + ' ' + e.last); });"
                + "resumed._idState('restart.test').last = 5000;" // as if it had seen ids up to 5000 before the restart
                + "resumed.ready.then(function () { return resumed.subscribe('restart.test', function (d, m) { got.push(m.id + ':' + d); }); })"
                + "  .then(function () { window.subscribed = true; });");
        await(d, "subscribed", x -> Boolean.TRUE.equals(js(x, "return window.subscribed === true")));
        for (int i = 1; i <= 10; i++) server.halley().publish("restart.test", "m" + i);
        await(d, "all 10 messages", x -> ((Number) js(x, "return got.length")).intValue() == 10);
        assertEquals(List.of("restart.test 5000 0"), js(d, "return restarts"));
        assertEquals(List.of("1:m1", "2:m2", "3:m3", "4:m4", "5:m5", "6:m6", "7:m7", "8:m8", "9:m9", "10:m10"),
                js(d, "return got"));
        js(d, "Demo.closePage(resumed)");
    }
}
