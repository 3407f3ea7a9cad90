package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.halley.core.Callback;
import io.halley.core.HalleyException;
import io.halley.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * halley.js's connection API end to end: {@code client-api.test.js} runs the client in Node
 * (fetch and the long-poll transport, with a cookie jar) against a real Jetty, and checks call,
 * subscribe, publish, request, listen-only pages and the re-subscription after a page re-open.
 * Skipped when {@code node} is not installed.
 */
class ClientApiTest {
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    /** Exposed to the client as {@code math.twice}. */
    public static final class MathCallbacks {
        @Callback("math.twice")
        public int twice(int n) {
            return 2 * n;
        }
    }

    static boolean nodeInstalled() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void callSubscribePublishRequestAndListenOnlyWorkFromTheClient() throws Exception {
        assumeTrue(nodeInstalled(), "node is not installed");
        server = Container.start(JETTY, ChannelEndpointTest.chatServlet(), TestServer.fastParams(), Map.of());
        var h = server.halley();
        h.register("stream", (r, args) -> {
            for (int i = 1; i <= 3; i++) r.text("#progress", "step " + i).flush();
            return args.get(0).getAsInt() * 2;
        });
        h.register("boom", (r, args) -> {
            throw new HalleyException(HalleyException.Kind.BAD_INPUT, "boom reason");
        });
        h.registerObject(new MathCallbacks());
        h.register("publishNews", (r, args) -> {
            h.publish("news", args.get(0).getAsString());
            return null;
        });
        h.register("killAndPublish", (r, args) -> {
            r.page().close();
            h.publish("news", "second");
            h.publish("news", "third");
            return null;
        });
        h.action("echo", params -> params);
        h.action("failing", params -> {
            throw new HalleyException(HalleyException.Kind.BAD_INPUT, "no way");
        });
        h.action("slow", params -> {
            Thread.sleep(600);
            return 1;
        });

        Path lib = Files.createTempFile("halley", ".js");
        Path script = Files.createTempFile("client-api", ".test.js");
        try {
            Files.writeString(lib, ClientScriptTest.resource("halley.js"));
            Files.writeString(script, ClientScriptTest.resource("client-api.test.js"));
            Process p = new ProcessBuilder("node", script.toString(), lib.toString(), server.base().toString())
                    .redirectErrorStream(true).start();
            boolean ended = p.waitFor(40, TimeUnit.SECONDS);
            if (!ended) p.destroyForcibly();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(ended, "node finished in time: " + out);
            assertEquals(0, p.exitValue(), out);
            assertEquals("ok", out.trim());
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(lib);
        }
    }
}
