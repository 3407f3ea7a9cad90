package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reproduction: an application that writes its own rules, as the docs' example did
 * ({@code ChannelPolicy.defaults().subscribe(rule)}, even one that allows everything, and a
 * publish rule that allows everything), still has the reserved names refused: a browser's
 * subscribe and publish to {@code halley.internal}, {@code halley.users} and {@code _secret} get
 * 403 and the page is not subscribed.
 */
class ReservedChannelsTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void reservedNamesAreRefusedWhateverRulesTheApplicationWrote() throws Exception {
        server = Container.start(Container.JETTY, new CometServlet() {
            @Override
            protected void configure(Halley.Builder b) {
                b.channelPolicy(ChannelPolicy.defaults().subscribe((page, channel) -> true).publish((page, channel) -> true));
            }
        }, TestServer.fastParams(), Map.of());
        HttpBrowser browser = new HttpBrowser(server);
        HttpBrowser.PageRef page = browser.openPage();
        for (String reserved : List.of("halley.internal", "halley.users", "_secret")) {
            browser.pagePost(page, "/subscribe", "\"channel\":\"" + reserved + "\"").assertError(403);
            browser.pagePost(page, "/publish", "\"channel\":\"" + reserved + "\",\"data\":1").assertError(403);
        }
        assertEquals(List.of(), List.copyOf(server.page(page.page()).channels()));
        browser.postOk(page, "/subscribe", "\"channel\":\"news\"", 200);
        browser.postOk(page, "/publish", "\"channel\":\"news\",\"data\":1", 202);
    }
}
