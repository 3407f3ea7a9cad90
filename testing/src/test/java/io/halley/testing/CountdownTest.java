package io.halley.testing;

import com.google.gson.JsonObject;
import io.halley.core.comet.Comet;
import io.halley.core.comet.CometFunction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's example, word for word: a user's comet function tested with the kit. */
class CountdownTest {

    /** The application's comet function: counts down on the page, one frame a step. */
    static final class Countdown implements CometFunction {
        @Override
        public void run(Comet comet) {
            for (int i = 3; i >= 1; i--) comet.text("#count", Integer.toString(i)).flush();
            comet.text("#count", "lift-off");
        }
    }

    @Test
    void theCountdownReachesTheBrowserOneFrameAStep() throws Exception {
        try (TestServer server = TestServer.jetty().initParams(TestServer.fastParams()).start()) {
            HttpBrowser browser = new HttpBrowser(server);
            HttpBrowser.PageRef page = browser.openPage();
            server.page(page.page()).comet(new Countdown());

            List<String> shown = new ArrayList<>();
            try (FrameStream sse = Transport.SSE.open(browser, page.page(), 0)) {
                for (int i = 0; i < 4; i++) {
                    JsonObject command = sse.next().getAsJsonArray("cmds").get(0).getAsJsonObject();
                    shown.add(command.get("text").getAsString());
                }
            }
            assertEquals(List.of("3", "2", "1", "lift-off"), shown);
        } // close(): the stream is no longer held, no page and no halley- thread is left
    }
}
