package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.servlet.Container;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The representative scenarios on both Jetty 12 and Tomcat 10.1, over every transport (SSE, iframe,
 * poll, WebSocket); a second surefire run (servlet/pom.xml, {@code tomcat-11}) runs them on Tomcat 11
 * (with its own WebSocket server), and {@code servlet-ee11-tests} on Jetty 12.1's ee11.
 */
class ContainerMatrixTest {
    private TestServer server;

    static List<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Container c : Container.tested()) for (Transport t : Transport.values()) out.add(Arguments.of(c, t));
        return out;
    }

    /** The streaming transports (a poll answers once; channel delivery over polls is in ChannelEndpointTest). */
    static List<Arguments> streamingMatrix() {
        List<Arguments> out = new ArrayList<>();
        for (Container c : Container.tested()) {
            for (Transport t : List.of(Transport.SSE, Transport.IFRAME, Transport.WS)) out.add(Arguments.of(c, t));
        }
        return out;
    }

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    /** The Tomcat this run is on: 11 in the {@code tomcat-11} run (the property says which major is meant). */
    @org.junit.jupiter.api.Test
    void runsOnTheTomcatItIsMeantFor() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Container.tested().contains(Container.TOMCAT), "no Tomcat in this run");
        String major = System.getProperty("halley.test.tomcatMajor", "10");
        String version = org.apache.catalina.util.ServerInfo.getServerNumber();
        System.out.println("ContainerMatrixTest on Tomcat " + version);
        assertTrue(version.startsWith(major + "."), "Tomcat " + version + ", meant " + major);
    }

    /**
     * The Jetty environment this run is on: the servlet's context is ee11's in the
     * {@code servlet-ee11-tests} module's run, ee10's otherwise, and its Servlet API is the one
     * that environment is built on (6.1 for ee11, 6.0 for ee10).
     */
    @org.junit.jupiter.api.Test
    void runsOnTheJettyEnvironmentItIsMeantFor() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Container.tested().contains(Container.JETTY), "no Jetty in this run");
        server = Container.start(Container.JETTY, TestServer.fastParams());
        jakarta.servlet.ServletContext ctx = server.servlet().getServletContext();
        String env = Container.jettyEnvironment();
        System.out.println("ContainerMatrixTest on Jetty " + env + ": " + ctx.getServerInfo()
                + ", Servlet " + ctx.getMajorVersion() + "." + ctx.getMinorVersion());
        assertTrue(ctx.getClass().getName().startsWith("org.eclipse.jetty." + env + "."), ctx.getClass().getName());
        assertEquals(env.equals("ee11") ? 1 : 0, ctx.getMinorVersion(), "Servlet 6.x minor version");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void framesArriveInOrder(Container c, Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(c, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).comet(cm -> {
                for (int i = 1; i <= 100; i++) {
                    cm.text("#n", String.valueOf(i)).flush();
                    if (i % 25 == 0) cm.sleep(Duration.ofMillis(30));
                }
            });
            Transport.Received r = t.receive(b, p.page(), 0, 100, 0);
            for (int i = 0; i < 100; i++) assertEquals(i + 1, r.frames.get(i).get("seq").getAsLong());
        });
    }

    /**
     * Channel messages are written on Halley's fan-out threads (not the container's): 2,000 of
     * them, published by another thread while the stream is open, arrive once and in order on
     * each container and streaming transport.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("streamingMatrix")
    void channelMessagesWrittenOnTheFanOutThreadsArriveOnceInOrder(Container c, Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("iframeBudget", "1048576");
            server = Container.start(c, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).subscribe("matrix");
            int total = 2000;
            try (FrameStream w = t.open(b, p.page(), 0)) {
                Thread publisher = new Thread(() -> {
                    for (int i = 1; i <= total; i++) {
                        server.halley().publish("matrix", i);
                        if (i % 100 == 0) {
                            try {
                                Thread.sleep(2);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                });
                publisher.start();
                List<Long> ids = new ArrayList<>();
                long lastSeq = 0;
                while (ids.size() < total) {
                    com.google.gson.JsonObject f = w.next();
                    assertTrue(f != null, "the stream ended after " + ids.size() + " messages");
                    assertEquals(lastSeq + 1, f.get("seq").getAsLong(), "frames in sequence");
                    lastSeq = f.get("seq").getAsLong();
                    for (com.google.gson.JsonElement cmd : f.getAsJsonArray("cmds")) {
                        ids.add(cmd.getAsJsonObject().get("data").getAsLong());
                    }
                }
                publisher.join(5000);
                for (int i = 0; i < total; i++) assertEquals(i + 1, ids.get(i), "message " + (i + 1) + " once, in order");
            }
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void resumesAfterKilledConnectionsWithoutLossOrDuplicate(Container c, Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("replayFrames", "5000");
            params.put("iframeBudget", "16384");
            server = Container.start(c, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            int total = 3000;
            server.page(p.page()).comet(cm -> {
                for (int i = 1; i <= total; i++) {
                    cm.text("#n", "f" + i).flush();
                    if (i % 100 == 0) cm.sleep(Duration.ofMillis(2));
                }
            });
            Transport.Received r = t.receive(b, p.page(), 0, total, 500);
            List<Long> seqs = r.seqs();
            for (int i = 0; i < total; i++) assertEquals(i + 1, seqs.get(i));
            assertEquals(0, r.resyncs);
            assertEquals(0, r.ignored);
            assertTrue(r.kills >= 5, "kills: " + r.kills);
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void anotherSessionGets403(Container c, Transport t) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(c, TestServer.fastParams());
            HttpBrowser alice = new HttpBrowser(server);
            HttpBrowser mallory = new HttpBrowser(server);
            HttpBrowser.PageRef p = alice.openPage();
            mallory.openPage();
            t.request(mallory, "page=" + p.page() + "&since=0").assertError(403); // ws: the upgrade is refused with 403 JSON
            mallory.get("/page?page=" + p.page()).assertError(403);
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void secondTransportReplacesTheFirst(Container c, Transport t) {
        if (t == Transport.POLL) return; // covered on Jetty by DeliveryTest with raw held polls
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(c, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).writer().text("#a", "1").flush();
            FrameStream first = t.open(b, p.page(), 0);
            assertEquals(1, first.next().get("seq").getAsLong());
            FrameStream second = t.open(b, p.page(), 1);
            assertNull(first.next());
            assertTrue(first.cleanEnd());
            server.page(p.page()).writer().text("#a", "2").flush();
            assertEquals(2, second.next().get("seq").getAsLong());
            first.close();
            second.close();
        });
    }
}
