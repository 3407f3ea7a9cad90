package io.halley.servlet.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.halley.servlet.Container;
import io.halley.servlet.users.UserWebApp.Login;
import io.halley.testing.Await;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import io.halley.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * In Chromium, on Jetty and Tomcat with the container's FORM login: Alice signs in through the
 * login form, her page is hers (her channel, her pushes); when her session ends the page's stream
 * ends, it gets 410 and {@code halley.js} opens a new page, anonymous; when Bob signs in in that
 * session ({@code request.login} and {@code HalleyPages.userChanged}) the anonymous page ends and
 * the next is Bob's, which does not see Alice's channel.
 */
class UsersInBrowserTest {
    private TestServer server;
    private BrowserPage browser;

    @AfterEach
    void stop() throws Exception {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    private String who() {
        return browser.textContent("#who");
    }

    private void fetch(String path) {
        ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch('" + Container.CONTEXT + path + "', { credentials: 'same-origin' })"
                        + ".then(function (r) { done(r.status); }, function () { done(-1); });");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Container.class)
    void aLogoutEndsThePageAndTheClientReopensAsWhoeverTheBrowserIsNow(Container c) {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            server = UserWebApp.start(c, Login.FORM, null);
            browser = Chromium.start();
            browser.get(server.root() + "/secure/home"); // the container answers with its login form
            browser.await("the login form", d -> browser.js("return document.querySelector('input[name=j_username]') !== null;"));
            browser.js("document.querySelector('input[name=j_username]').value = 'alice';"
                    + "document.querySelector('input[name=j_password]').value = 'alice-pw';"
                    + "document.querySelector('form').submit();");
            browser.await("signed in", d -> browser.textContent("body").contains("hello alice"));

            browser.get(server.root() + "/app-page");
            browser.await("alice's page", d -> "alice".equals(who()));
            String alicesPage = (String) browser.js("return conn.page;");
            assertEquals("alice", server.page(alicesPage).user().name());
            Await.until("subscribed", () -> server.halley().subscribers("user.alice") == 1);
            server.halley().publish("user.alice", "for alice");
            browser.await("alice's message", d -> "for alice".equals(browser.textContent("#inbox")));
            server.halley().user("alice").text("#note", "pushed to alice").flush();
            browser.await("the push to alice", d -> "pushed to alice".equals(browser.textContent("#note")));

            fetch("/logout"); // the session ends: her page ends, 410, a new page as whoever she is now
            browser.await("an anonymous page", Duration.ofSeconds(20), d -> "anonymous".equals(who()));
            assertNotEquals(alicesPage, browser.js("return conn.page;"));

            fetch("/signin?user=bob&notify=1"); // bob signs in in this browser's (new) session
            browser.await("bob's page", Duration.ofSeconds(20), d -> "bob".equals(who()));
            Await.until("bob subscribed", () -> server.halley().subscribers("user.bob") == 1);
            assertEquals(0, server.halley().subscribers("user.alice"), "nobody reads alice's channel now");
            server.halley().publish("user.alice", "alice only");
            server.halley().publish("user.bob", "for bob");
            browser.await("bob's message", d -> "for bob".equals(browser.textContent("#inbox")));
            @SuppressWarnings("unchecked")
            List<String> pages = (List<String>) browser.js("return window.pages;");
            assertEquals(3, pages.size(), pages::toString);
            assertEquals(List.of("alice", "null", "bob"), pages.stream().map(p -> p.substring(p.indexOf(':') + 1)).toList());
        });
    }
}
