package io.halley.demo;

import io.halley.testing.BrowserPage;
import io.halley.testing.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A browser test class that shares one headless Chromium session across its tests: started
 * before the first, closed after the last (before {@link BrowserTest} stops the server and checks
 * for leaks).
 */
abstract class OneBrowserTest extends BrowserTest {
    static BrowserPage browser;

    @BeforeAll
    static void startBrowser() throws Exception {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.close();
        browser = null;
    }
}
