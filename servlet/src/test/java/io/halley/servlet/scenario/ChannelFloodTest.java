package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.Page;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One page subscribing to 10,000 channels: subscriptions past maxChannelsPerPage (256) get 429 with
 * a JSON error, the page holds exactly 256, and it still receives what is published on them.
 */
class ChannelFloodTest extends ScenarioTest {
    static final int ATTEMPTS = 10_000;
    static final int MAX = 256;

    @Test
    void aPageSubscribingTo10000ChannelsIsRefusedPastMaxChannelsPerPage() {
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            TestServer server = start(params("pageLease", "PT120S"));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            int ok = 0;
            int refused = 0;
            for (int i = 0; i < ATTEMPTS; i++) {
                HttpBrowser.Resp r = b.pagePost(p, "/subscribe", "\"channel\":\"c" + i + "\"");
                if (r.status() == 200) {
                    ok++;
                } else {
                    if (refused == 0) r.assertError(429);
                    assertEquals(429, r.status(), r.body());
                    refused++;
                }
            }
            Page page = server.page(p.page());
            assertEquals(MAX, ok);
            assertEquals(ATTEMPTS - MAX, refused);
            assertEquals(MAX, page.channels().size());
            assertTrue(page.isAlive());
            // unsubscribing frees a slot
            assertEquals(200, b.pagePost(p, "/unsubscribe", "\"channel\":\"c0\"").status());
            assertEquals(200, b.pagePost(p, "/subscribe", "\"channel\":\"late\"").status());
            b.pagePost(p, "/subscribe", "\"channel\":\"one-too-many\"").assertError(429);
        });
    }
}
