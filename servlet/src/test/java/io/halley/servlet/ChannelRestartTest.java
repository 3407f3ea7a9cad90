package io.halley.servlet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subscriber whose {@code since} lies beyond the channel's newest id (the node restarted with
 * an in-memory history, or a client sends a made-up id) gets a {@code channelrestart} command and
 * then every message of the new numbering: never silence. Over the wire, on a real Jetty.
 */
class ChannelRestartTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    /** Reads frames from {@code w} until {@code count} messages arrived; returns every command seen. */
    private static List<JsonObject> commandsUntil(FrameStream w, int count) throws Exception {
        List<JsonObject> cmds = new ArrayList<>();
        int messages = 0;
        while (messages < count) {
            for (JsonElement c : w.next().getAsJsonArray("cmds")) {
                cmds.add(c.getAsJsonObject());
                if (c.getAsJsonObject().get("op").getAsString().equals("message")) messages++;
            }
        }
        return cmds;
    }

    private static List<Long> messageIds(List<JsonObject> cmds) {
        return cmds.stream().filter(c -> c.get("op").getAsString().equals("message")).map(c -> c.get("id").getAsLong()).toList();
    }

    @Test
    void aTabResumingAfterARestartGetsEveryNewMessageAndARestartEvent() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            int port = server.port();
            HttpBrowser before = new HttpBrowser(server);
            HttpBrowser.PageRef p = before.openPage();
            assertEquals(200, before.pagePost(p, "/subscribe", "\"channel\":\"news\"").status());
            FrameStream w = Transport.SSE.open(before, p.page(), 0);
            for (int i = 1; i <= 30; i++) server.halley().publish("news", "old " + i);
            assertEquals(30L, messageIds(commandsUntil(w, 30)).get(29), "the tab saw ids up to 30");
            w.close();
            server.stopAndCheck();

            server = Container.startJetty(port, TestServer.fastParams()); // a fresh runtime: numbering from 1
            HttpBrowser after = new HttpBrowser(server);
            HttpBrowser.PageRef q = after.openPage();
            HttpBrowser.Resp r = after.pagePost(q, "/subscribe", "\"channel\":\"news\",\"since\":30");
            assertEquals(200, r.status(), r.body());
            assertEquals(0, r.json().get("last").getAsLong(), "the answer keeps its wire: the new newest id");
            FrameStream w2 = Transport.SSE.open(after, q.page(), 0);
            for (int i = 1; i <= 10; i++) server.halley().publish("news", "new " + i);
            List<JsonObject> cmds = commandsUntil(w2, 10);
            JsonObject restart = cmds.get(0);
            assertEquals("channelrestart", restart.get("op").getAsString(), "the restart comes first: " + cmds);
            assertEquals("news", restart.get("channel").getAsString());
            assertEquals(30, restart.get("since").getAsLong());
            assertEquals(0, restart.get("last").getAsLong());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), messageIds(cmds), "all 10 new messages");
            w2.close();
        });
    }

    @Test
    void sinceLongMaxValueCatchesUpFromTheStartWithARestartEvent() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            for (int i = 1; i <= 3; i++) server.halley().publish("news", "kept " + i);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            FrameStream w = Transport.SSE.open(b, p.page(), 0);
            HttpBrowser.Resp r = b.pagePost(p, "/subscribe", "\"channel\":\"news\",\"since\":" + Long.MAX_VALUE);
            assertEquals(200, r.status(), r.body());
            List<JsonObject> cmds = commandsUntil(w, 3);
            assertEquals("channelrestart", cmds.get(0).get("op").getAsString(), cmds.toString());
            assertEquals(Long.MAX_VALUE, cmds.get(0).get("since").getAsLong());
            assertEquals(3, cmds.get(0).get("last").getAsLong());
            assertEquals(List.of(1L, 2L, 3L), messageIds(cmds), "the history from the start");
            server.halley().publish("news", "live");
            assertEquals(List.of(4L), messageIds(commandsUntil(w, 1)), "and the live ones after it");

            // the normal case keeps its wire: a since within the numbering gets no restart command
            HttpBrowser.PageRef q = b.openPage();
            FrameStream w2 = Transport.SSE.open(b, q.page(), 0);
            assertEquals(200, b.pagePost(q, "/subscribe", "\"channel\":\"news\",\"since\":2").status());
            List<JsonObject> normal = commandsUntil(w2, 2);
            assertTrue(normal.stream().noneMatch(c -> c.get("op").getAsString().equals("channelrestart")), normal.toString());
            assertEquals(List.of(3L, 4L), messageIds(normal));
            w.close();
            w2.close();
        });
    }
}
