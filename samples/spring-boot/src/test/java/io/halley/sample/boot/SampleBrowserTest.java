package io.halley.sample.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Halley;
import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The sample in headless Chromium: alice and bob sign in with the login form; each page's clock
 * ticks (a comet function); news published from alice's page (a POST with the CSRF token) reaches
 * both; a push to alice's channel reaches only alice; the streamed callback fills in letter by
 * letter. halley.js's own POSTs (subscribe, call) carry Spring Security's CSRF token through its
 * {@code headers} option, or Spring Security would refuse them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SampleBrowserTest {
    @LocalServerPort
    int port;
    @Autowired
    Halley halley;

    private BrowserPage signIn(String user) throws Exception {
        BrowserPage page = Chromium.start();
        page.get("http://localhost:" + port + "/");
        page.await("the login form", d -> d.findElements(By.name("username")).size() == 1);
        page.driver().findElement(By.name("username")).sendKeys(user);
        page.driver().findElement(By.name("password")).sendKeys("password");
        page.driver().findElement(By.cssSelector("button[type=submit]")).click();
        page.await(user + "'s page", d -> d.findElements(By.id("clock")).size() == 1);
        assertEquals(user, page.text("#user"));
        page.await("the clock ticks", d -> !d.findElement(By.id("clock")).getText().isEmpty());
        return page;
    }

    @Test
    void signedInUsersGetTheirPushesAndEveryonesNews() throws Exception {
        try (BrowserPage alice = signIn("alice"); BrowserPage bob = signIn("bob")) {
            alice.await("alice subscribed to news", d -> halley.subscribers(NewsController.NEWS) == 2);
            alice.driver().findElement(By.id("news-text")).sendKeys("lunch at noon");
            alice.driver().findElement(By.cssSelector("#news-form button")).click();
            for (BrowserPage p : new BrowserPage[] {alice, bob}) {
                p.await("the news on every page", d -> d.findElement(By.id("news")).getText().contains("alice: lunch at noon"));
            }
            halley.publish(NewsController.userChannel("alice"), Map.of("from", "system", "text", "for alice only"));
            alice.await("alice's own push", d -> d.findElement(By.id("mine")).getText().contains("for alice only"));
            bob.driver().findElement(By.id("shout")).click();
            bob.await("the streamed callback", d -> d.findElement(By.id("shouted")).getText().equals("HELLO"));
            assertTrue(bob.text("#mine").isEmpty(), "bob got nothing of alice's: " + bob.text("#mine"));
            assertTrue(!alice.console().contains("403") && !bob.console().contains("403"),
                    "no refused POST: " + alice.console() + bob.console());
        }
    }
}
