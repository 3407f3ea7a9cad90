package io.halley.demo;

import io.halley.demo.channels.Announcer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.Await;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The channels page (Jii) with three browsers (three cookie jars): A publishes to a room and B
 * receives; listen-only C receives but its publishes are refused with 403; the channel policy
 * refuses publishing outside {@code room.*}; the server actions reply; the page-opened listener
 * subscribed every page to the announcements, which arrive; hostile messages stay text over
 * every transport.
 */
class ChannelsDemoTest extends BrowserTest {
    private static BrowserPage alice;
    private static BrowserPage bob;
    private static BrowserPage carol;

    @BeforeAll
    static void startBrowsers() throws Exception {
        alice = Chromium.start();
        bob = Chromium.start();
        carol = Chromium.start();
    }

    @AfterAll
    static void stopBrowsers() {
        for (BrowserPage s : new BrowserPage[] {alice, bob, carol}) {
            if (s != null) s.close();
        }
    }

    @Test
    void aMessagePublishedByOneBrowserReachesTheOther() {
        WebDriver a = open(alice.driver(), "", "talk");
        WebDriver b = open(bob.driver(), "", "talk");
        assertEquals(Boolean.TRUE, publish(a, "hello from A"));
        String from = (String) js(a, "return channelsDemo.me");
        await(b, "B receives A's line", x -> lines(x, "#messages").stream().anyMatch(l -> l.endsWith(from + " hello from A")));
        await(a, "A sees its own line", x -> lines(x, "#messages").stream().anyMatch(l -> l.endsWith(from + " hello from A")));
        assertEquals("", textContent(a, "#publish-error"));

        assertEquals(Boolean.TRUE, publish(b, "and back from B"));
        String bob = (String) js(b, "return channelsDemo.me");
        await(a, "A receives B's line", x -> lines(x, "#messages").stream().anyMatch(l -> l.endsWith(bob + " and back from B")));
    }

    @Test
    void aListenOnlyPageReceivesButItsPublishIsRefused() {
        WebDriver a = open(alice.driver(), "", "quiet");
        WebDriver c = open(carol.driver(), "", "quiet");
        String before = (String) js(c, "return channelsDemo.conn.page");
        c.findElement(By.id("listen-only")).click(); // reconnects with Halley.connect({listenOnly: true})
        await(c, "listen-only and subscribed again", x -> "listen-only".equals(textContent(x, "#mode"))
                && "room.quiet".equals(textContent(x, "#channel")) && Boolean.TRUE.equals(js(x, "return channelsDemo.conn.connected")));
        String page = (String) js(c, "return channelsDemo.conn.page");
        assertFalse(page.equals(before), "a new page");
        assertTrue(page(page).isListenOnly(), "the server made the page listen-only");

        assertEquals(Boolean.TRUE, publish(a, "everyone hears this"));
        await(c, "the listen-only page receives", x -> lines(x, "#messages").stream().anyMatch(l -> l.endsWith("everyone hears this")));

        assertEquals(Boolean.FALSE, publish(c, "may I?"));
        assertEquals("Refused (403): a listen-only page may not publish",
                textContent(c, "#publish-error"));
        assertTrue(lines(a, "#messages").stream().noneMatch(l -> l.endsWith("may I?")), "nothing was published");

        c.findElement(By.id("listen-only")).click(); // back to a normal page: publishing works again
        await(c, "may publish again", x -> "may publish".equals(textContent(x, "#mode"))
                && "room.quiet".equals(textContent(x, "#channel")));
        assertEquals(Boolean.TRUE, publish(c, "now I may"));
        await(a, "A receives C's line", x -> lines(x, "#messages").stream().anyMatch(l -> l.endsWith("now I may")));
    }

    /**
     * A user's private channel: Dana signs in on the chat (a name, no password), and the channels
     * page of each of her two tabs subscribes to {@code user.Dana}; a note she sends there reaches
     * both tabs; reading {@code user.Bob} is refused with 403; a browser nobody signed in to has no
     * private channel.
     */
    @Test
    void aSignedInUserHasAPrivateChannelThatOnlySheReads() throws Exception {
        BrowserPage dana = Chromium.start();
        try {
            WebDriver d = dana.driver();
            d.get(url("chat"));
            await(d, "the join form", x -> x.findElement(By.id("name"))).sendKeys("Dana");
            d.findElement(By.cssSelector("#join button")).click();
            await(d, "signed in", x -> textContent(x, "#log").contains("You joined as Dana."));
            open(d, "", "lobby");
            String first = d.getWindowHandle();
            await(d, "her private channel", x -> textContent(x, "#private-state").contains("user.Dana"));
            d.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            open(d, "", "lobby");
            await(d, "her private channel in the second tab", x -> textContent(x, "#private-state").contains("user.Dana"));
            Await.until("two subscribers", () -> server.halley().subscribers("user.Dana") == 2);
            assertEquals(Boolean.TRUE, js(d, "return channelsDemo.sendPrivate('note to self')"));
            for (String tab : d.getWindowHandles()) {
                d.switchTo().window(tab);
                await(d, "the note in " + tab, x -> lines(x, "#private").stream().anyMatch(l -> l.endsWith("note to self")));
            }
            assertEquals(Boolean.FALSE, js(d, "return channelsDemo.peek('Bob')"));
            assertEquals("Refused (403): not allowed to subscribe to channel 'user.Bob'", textContent(d, "#private-error"));
            d.switchTo().window(first);

            WebDriver b = open(bob.driver(), "", "lobby");
            assertTrue(b.findElement(By.id("private-state")).getText().contains("Sign in"), "no private channel for nobody");
            assertEquals(Boolean.FALSE, js(b, "return channelsDemo.peek('Dana')"));
        } finally {
            dana.driver().get("about:blank");
            dana.close();
        }
    }

    @Test
    void thePolicyRefusesPublishingOutsideTheRooms() {
        WebDriver a = open(alice.driver(), "", "lobby");
        a.findElement(By.id("publish-feed")).click();
        await(a, "the refusal", x -> !textContent(x, "#publish-error").isEmpty());
        assertEquals("Refused (403): not allowed to publish to channel 'feed'", textContent(a, "#publish-error"));
    }

    @Test
    void theServerActionsReplyWithTheirRoundTrip() {
        WebDriver a = open(alice.driver(), "", "lobby");
        a.findElement(By.id("echo-text")).clear();
        a.findElement(By.id("echo-text")).sendKeys("ping <b>");
        a.findElement(By.id("echo")).click();
        await(a, "the echo", x -> textContent(x, "#reply").startsWith("demo.echo"));
        String node = server.halley().config().nodeId();
        assertTrue(textContent(a, "#reply").matches("demo\\.echo \u2192 \u201cping <b>\u201d \\(8 characters\\) from node "
                + node + " in \\d+ ms"), textContent(a, "#reply"));
        a.findElement(By.id("time")).click();
        await(a, "the time", x -> textContent(x, "#reply").startsWith("demo.time"));
        assertTrue(textContent(a, "#reply").matches("demo\\.time \u2192 \\d\\d:\\d\\d:\\d\\d \\(\\d{4}-.*Z\\) from node "
                + node + " in \\d+ ms"), textContent(a, "#reply"));
        assertEquals("", textContent(a, "#action-error"));

        Object refused = js(a, "return channelsDemo.request('demo.echo', {}).then(function () { return 'resolved'; },"
                + " function (e) { return e.message; })");
        assertEquals("demo.echo needs {\"text\": \"...\"}", refused);
    }

    @Test
    void everyPageIsSubscribedToTheAnnouncementsWhenItOpens() {
        WebDriver a = open(alice.driver(), "", "lobby");
        String page = (String) js(a, "return channelsDemo.conn.page");
        assertTrue(page(page).channels().contains(Announcer.CHANNEL), "subscribed server side: " + page(page).channels());
        await(a, "an announcement", ANNOUNCE_EVERY.plusSeconds(4),
                x -> lines(x, "#announcements").stream().anyMatch(l -> l.contains("node " + server.halley().config().nodeId())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "iframe", "poll"})
    void hostileMessagesStayTextOverEachTransport(String transport) {
        String room = "xss-" + transport;
        WebDriver b = open(bob.driver(), "?transport=" + transport, room);
        assertEquals(transport, js(b, "return channelsDemo.conn.transport"));
        WebDriver a = open(alice.driver(), "", room);
        recordAlerts(a);
        recordAlerts(b);
        for (String p : Payloads.ALL) assertEquals(Boolean.TRUE, publish(a, p));
        await(b, "the three payloads over " + transport, x -> texts(x).containsAll(Payloads.ALL));
        assertEquals(List.of(Payloads.SVG, Payloads.SCRIPT, Payloads.IMG), texts(b), "as text, newest first");
        await(a, "A shows them too", x -> texts(x).containsAll(Payloads.ALL));
        for (WebDriver d : List.of(a, b)) {
            assertEquals(0L, js(d, "return document.querySelectorAll('#messages img, #messages svg, #messages script').length"));
            assertEquals(List.of(), recordedAlerts(d));
            assertNoAlertDialog(d);
        }
    }

    /** Opens the page (with {@code query}) in the room {@code room} and waits until it is subscribed. */
    private static WebDriver open(WebDriver d, String query, String room) {
        d.get(url("channels.html" + query));
        await(d, "connected", x -> Boolean.TRUE.equals(js(x, "return !!channelsDemo.conn && channelsDemo.conn.connected"))
                && "room.lobby".equals(textContent(x, "#channel")));
        if (!room.equals("lobby")) {
            assertEquals("room." + room, js(d, "return channelsDemo.join(arguments[0])", room));
        }
        return d;
    }

    private static Object publish(WebDriver d, String text) {
        return js(d, "return channelsDemo.publish(arguments[0])", text);
    }

    @SuppressWarnings("unchecked")
    private static List<String> lines(WebDriver d, String list) {
        return (List<String>) js(d, "return Array.from(document.querySelectorAll(arguments[0] + ' li'))"
                + ".map(function (li) { return li.textContent; })", list);
    }

    /** The message texts of the room list, newest first. */
    @SuppressWarnings("unchecked")
    private static List<String> texts(WebDriver d) {
        return (List<String>) js(d, "return Array.from(document.querySelectorAll('#messages li .text'))"
                + ".map(function (s) { return s.textContent; })");
    }
}
