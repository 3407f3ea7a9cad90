package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.spi.InMemoryHub;
import io.halley.core.spi.InMemoryQueue;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jii's listen-only mode: the servlet's runtime queues actions but does not run them
 * ({@code consumeActions(false)}); a second runtime without any servlet, sharing the same hub and
 * queue instances, runs them, and the reply crosses back to the page through the hub topic
 * {@code halley.pages}.
 */
class ActionAcrossNodesTest {
    private TestServer server;
    private Halley worker;

    @AfterEach
    void noLeaks() throws Exception {
        if (worker != null) worker.close(); // first: its threads must be gone for the server's leak check
        if (server != null) server.close();
    }

    @Test
    void anActionRunOnAnotherRuntimeAnswersThePage() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            InMemoryHub hub = new InMemoryHub();
            InMemoryQueue queue = new InMemoryQueue();
            List<Object> pageDeliveries = new CopyOnWriteArrayList<>();
            hub.subscribe("halley.pages", pageDeliveries::add);
            server = Container.start(JETTY, new CometServlet() {
                @Override
                protected void configure(Halley.Builder b) {
                    b.hub(hub).queue(queue).consumeActions(false).nodeId("web");
                }
            }, TestServer.fastParams(), Map.of());
            server.halley().action("sum", params -> {
                throw new AssertionError("the web node must not run actions");
            });
            worker = Halley.builder().hub(hub).queue(queue).nodeId("worker").build().start();
            List<String> ranOn = new CopyOnWriteArrayList<>();
            worker.action("sum", params -> {
                ranOn.add(Thread.currentThread().getName());
                JsonObject o = params.getAsJsonObject();
                return o.get("a").getAsInt() + o.get("b").getAsInt();
            });

            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            HttpBrowser.Resp r = b.pagePost(p, "/action/sum", "\"params\":{\"a\":19,\"b\":23},\"request\":\"q1\"");
            assertEquals(202, r.status(), r.body());
            JsonObject reply = Transport.SSE.receive(b, p.page(), 0, 1, 0).frames.get(0)
                    .getAsJsonArray("cmds").get(0).getAsJsonObject();
            assertEquals("reply", reply.get("op").getAsString());
            assertEquals("q1", reply.get("request").getAsString());
            assertEquals(42, reply.get("result").getAsInt());
            assertEquals(1, ranOn.size(), "the worker ran it once");
            assertTrue(worker.pageCount() == 0 && server.halley().pageCount() == 1, "the page lives on the web node only");
            assertEquals(1, pageDeliveries.size(), "the reply crossed through the hub topic halley.pages");
            Await.until("the worker acknowledged the action", Duration.ofSeconds(5), () -> queue.completed() == 1);
        });
    }
}
