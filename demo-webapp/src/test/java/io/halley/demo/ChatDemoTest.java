package io.halley.demo;

import io.halley.demo.chat.ChatRoom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.comet.Scope;
import io.halley.testing.Await;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The chat with two browsers (two drivers, two profiles, so two cookie jars and two HTTP
 * sessions): Alice's lines reach Bob, Bob sees Alice join and leave, a lost page rejoins by its
 * reconnect action, and hostile lines stay text.
 */
class ChatDemoTest extends BrowserTest {
    private static BrowserPage alice;
    private static BrowserPage bob;
    private WebDriver a;
    private WebDriver b;

    @BeforeAll
    static void startBrowsers() throws Exception {
        bob = Chromium.start();
        alice = Chromium.start();
        join(bob.driver(), "Bob");
        join(alice.driver(), "Alice");
    }

    @AfterAll
    static void stopBrowsers() {
        if (alice != null) alice.close();
        if (bob != null) bob.close();
    }

    /** No chat page is left from before; Bob's chat opens first, then Alice's. */
    @BeforeEach
    void openBoth() throws InterruptedException {
        a = alice.driver();
        b = bob.driver();
        a.get("about:blank");
        b.get("about:blank");
        Await.until("the chat is empty", Duration.ofSeconds(10),
                () -> server.halley().poolMembers(Scope.GLOBAL, null, ChatRoom.POOL) == 0);
        open(b, "Bob");
        open(a, "Alice");
        await(b, "Bob sees Alice join", x -> logHas(x, "Alice joined"));
        assertEquals(0, count(b, "Alice left"));
    }

    @Test
    void aLineFromAliceAppearsForBob() {
        say(a, "hello from Alice");
        await(b, "Bob sees Alice's line", x -> logHas(x, "Alice hello from Alice"));
        await(a, "Alice sees her own line", x -> logHas(x, "Alice hello from Alice"));
        assertTrue(textContent(b, "#who").contains("Alice") && textContent(b, "#who").contains("Bob"), textContent(b, "#who"));
    }

    /**
     * Alice's HTTP session ends (invalidated on the server, as a timeout would end it): her page
     * is told (halley.js's {@code sessionended}) and her chat shows its join form again instead
     * of a form that can no longer send; Bob sees her leave; joining again works.
     */
    @Test
    void whenAlicesSessionEndsHerChatShowsTheJoinFormAgain() throws Exception {
        org.eclipse.jetty.ee10.servlet.SessionHandler sessions = server.connector().getServer()
                .getDescendant(org.eclipse.jetty.ee10.servlet.SessionHandler.class);
        String cookie = a.manage().getCookieNamed(sessions.getSessionCookie()).getValue();
        String before = (String) js(a, "return chatDemo.conn.page;");
        sessions.invalidate(sessions.getSessionIdManager().getId(cookie));
        await(a, "Alice sees the join form again", x -> x.findElement(By.id("name")).isDisplayed()
                && !x.findElement(By.id("say")).isDisplayed());
        assertTrue(textContent(a, "#error").contains("session ended"), textContent(a, "#error"));
        await(b, "Bob sees 'Alice left'", Duration.ofSeconds(5), x -> logHas(x, "Alice left"));
        await(a, "Alice's client opened a new page", x -> Boolean.TRUE.equals(
                js(x, "return chatDemo.conn.connected && chatDemo.conn.page !== arguments[0];", before)));
        WebElement field = a.findElement(By.id("name"));
        field.sendKeys("Alice");
        a.findElement(By.cssSelector("#join button")).click();
        await(b, "Bob sees Alice join again", x -> count(x, "Alice joined") >= 2);
    }

    @Test
    void bobSeesAlicesDyingMessageWhenHerTabCloses() {
        a.get("about:blank"); // pagehide: the page is closed at once by a beacon
        await(b, "Bob sees 'Alice left'", Duration.ofSeconds(3), x -> logHas(x, "Alice left"));
        await(b, "Alice is no longer listed", x -> !textContent(x, "#who").contains("Alice"));
    }

    @Test
    void bobSeesAlicesDyingMessageWhenHerPageIsLostAndHerPageRejoinsAfterTheServerLostIt() {
        // the browser vanishes without a word: her page dies one lease later
        js(a, "chatDemo.conn.close()");
        await(b, "Bob sees 'Alice left' after the lease", LEASE.plusSeconds(4), x -> logHas(x, "Alice left"));

        open(a, "Alice");
        await(b, "Alice is back", x -> count(x, "Alice joined") == 2);
        String lost = (String) js(a, "return chatDemo.conn.page");
        page(lost).close(); // the server lost her page: the client re-opens one and its reconnect action rejoins
        await(b, "Bob sees her dying message", x -> count(x, "Alice left") == 2);
        await(b, "and her rejoining", x -> count(x, "Alice joined") == 3);
        say(a, "still here");
        await(b, "her line from the new page reaches Bob", x -> logHas(x, "Alice still here"));
    }

    /**
     * {@code /msg Bob psst} from Alice reaches both of Bob's tabs and Alice's two (the sender's
     * echo) as a private line; a third user, Carol, in her own browser, sees nothing of it. Each
     * name is its session's user ({@code userSessionAttribute}), and the line is a per-user push.
     */
    @Test
    void aPrivateMessageReachesOnlyTheTabsOfItsRecipientAndItsSender() throws Exception {
        BrowserPage carol = Chromium.start();
        String aFirst = a.getWindowHandle(), bFirst = b.getWindowHandle();
        try {
            join(carol.driver(), "Carol");
            a.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            open(a, "Alice");
            b.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
            open(b, "Bob");
            Await.until("two tabs each", () -> server.halley().pagesOfUser("Bob").size() == 2
                    && server.halley().pagesOfUser("Alice").size() == 2);
            say(a, "/msg Bob psst");
            String line = "Alice to Bob (private) psst";
            for (WebDriver d : List.of(a, b)) {
                for (String tab : d.getWindowHandles()) {
                    d.switchTo().window(tab);
                    await(d, "the private line in " + tab, x -> logHas(x, line));
                }
            }
            say(carol.driver(), "after");
            for (WebDriver d : List.of(a, b)) {
                d.switchTo().window(d.getWindowHandles().iterator().next());
                await(d, "carol's public line", x -> logHas(x, "Carol after"));
            }
            await(carol.driver(), "her own line", x -> logHas(x, "Carol after"));
            assertEquals(0, count(carol.driver(), line), "carol saw nothing of the private line");
        } finally {
            carol.driver().get("about:blank"); // pagehide: her page closes at once
            carol.close();
            for (Map.Entry<WebDriver, String> e : Map.of(a, aFirst, b, bFirst).entrySet()) {
                for (String tab : e.getKey().getWindowHandles()) {
                    if (tab.equals(e.getValue())) continue;
                    e.getKey().switchTo().window(tab);
                    e.getKey().close();
                }
                e.getKey().switchTo().window(e.getValue());
            }
        }
    }

    @Test
    void hostileLinesStayText() {
        recordAlerts(a);
        recordAlerts(b);
        for (String payload : Payloads.ALL) {
            say(a, payload);
            await(b, "Bob sees the payload as text: " + payload, x -> logHas(x, "Alice " + payload));
        }
        for (WebDriver d : List.of(a, b)) {
            assertEquals(List.of(), recordedAlerts(d), "alert() was called");
            assertNoAlertDialog(d);
            assertEquals(0L, js(d, "return document.querySelectorAll('#log img, #log svg, #log script').length"),
                    "markup from a chat line became elements");
        }
    }

    private static void join(WebDriver d, String name) {
        d.get(url("chat"));
        WebElement field = await(d, "the join form", x -> x.findElement(By.id("name")));
        field.sendKeys(name);
        d.findElement(By.cssSelector("#join button")).click();
        await(d, name + " joined", x -> logHas(x, "You joined as " + name + "."));
    }

    /** Opens the chat in a session that has joined: the page joins while it renders. */
    private static void open(WebDriver d, String name) {
        d.get(url("chat"));
        await(d, name + " is in the chat", x -> logHas(x, "You joined as " + name + "."));
    }

    private static void say(WebDriver d, String text) {
        js(d, "return chatDemo.say(arguments[0]).then(function () { return true; })", text); // waits for the answer
    }

    private static boolean logHas(WebDriver d, String line) {
        return count(d, line) > 0;
    }

    /** Lines of the log that end with {@code line} (each starts with its time). */
    private static long count(WebDriver d, String line) {
        Object n = js(d, "var end = ' ' + arguments[0]; return Array.from(document.querySelectorAll('#log li'))"
                + ".filter(function (li) { return li.textContent.endsWith(end); }).length;", line);
        return ((Number) n).longValue();
    }
}
