package io.halley.servlet;

import static io.halley.servlet.Container.JETTY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.metrics.HalleyMetrics;
import io.halley.core.metrics.Meter;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.RawHttp;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runtime's meters read after known traffic through the real servlet: each value moves by
 * exactly what the traffic did, the gauges come back to 0, and JMX shows the same values.
 */
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    private HalleyMetrics metrics() {
        return server.halley().metrics();
    }

    private long value(String name, String... tags) {
        Meter m = metrics().meter(name, tags);
        assertNotNull(m, () -> "no meter " + name + " " + List.of(tags));
        return (long) m.value();
    }

    private void awaitValue(String name, String transport, long expected) {
        String[] tags = transport == null ? new String[0] : new String[] {"transport", transport};
        Await.until(name + (transport == null ? "" : "{" + transport + "}") + " = " + expected, WAIT,
                () -> value(name, tags) == expected);
    }

    private static String t(Transport transport) {
        return transport.name().toLowerCase();
    }

    static List<Arguments> containersAndTransports() {
        List<Arguments> out = new ArrayList<>();
        for (Container c : Container.tested()) for (Transport t : Transport.values()) out.add(Arguments.of(c, t));
        return out;
    }

    @ParameterizedTest
    @MethodSource("containersAndTransports")
    void livePagesAndHeldStreamsFollowTheTransportAndComeBackToZero(Container container, Transport transport) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("pollTimeout", "PT20S"); // a poll stays held while the test looks
            server = Container.start(container, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p1 = b.openPage();
            HttpBrowser.PageRef p2 = b.openPage();
            assertEquals(2, value("halley.pages.live"));
            List<RawHttp> held = new ArrayList<>();
            for (HttpBrowser.PageRef p : List.of(p1, p2)) {
                RawHttp h = transport.raw(b, p.page(), 0); // ws: the upgrade, a held socket once answered 101
                held.add(h);
                if (transport == Transport.WS) assertEquals(101, h.status(), "upgraded (the ws meters exist from then)");
            }
            awaitValue("halley.streams.held", t(transport), 2);
            for (Transport other : Transport.values()) {
                // the ws meters appear with the first socket (HalleyMetrics.transport)
                boolean exists = metrics().meter("halley.streams.held", "transport", t(other)) != null;
                if (other != transport && exists) assertEquals(0, value("halley.streams.held", "transport", t(other)));
            }
            server.page(p1.page()).close();
            awaitValue("halley.streams.held", t(transport), 1);
            assertEquals(1, value("halley.pages.live"));
            server.page(p2.page()).close();
            awaitValue("halley.streams.held", t(transport), 0);
            assertEquals(0, value("halley.pages.live"));
            for (RawHttp h : held) h.close();
        });
    }

    @ParameterizedTest
    @MethodSource("io.halley.servlet.Container#tested")
    void framesAndBytesWrittenAreWhatTheClientReceived(Container container) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(container, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            try (RawHttp sse = RawHttp.get(FrameStream.uri(b, "/sse", p.page(), 0), b.cookieHeader(), Map.of(), true)) {
                assertEquals(200, sse.status());
                for (int i = 1; i <= 3; i++) page.writer().text("#n", "frame " + i).flush();
                awaitValue("halley.frames.written", "sse", 3);
                page.close(); // the stream drains, ends and completes
                InputStream body = sse.body();
                byte[] buf = new byte[8192];
                while (body.read(buf) >= 0) {
                    // read to the end
                }
                long received = sse.rawBytes().length;
                awaitValue("halley.streams.written", "sse", received);
            }
            assertEquals(3, value("halley.frames.written", "transport", "sse"));
            assertEquals(0, value("halley.frames.written", "transport", "iframe"));
            assertEquals(0, value("halley.frames.replayed", "transport", "sse"), "a first stream replays nothing");
            assertEquals(0, value("halley.resyncs", "transport", "sse"));
        });
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Transport.class, names = {"SSE", "WS"})
    void aStreamThatResumesCountsTheFramesItReplays(Transport transport) {
        String t = transport.name().toLowerCase(java.util.Locale.ROOT);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            try (FrameStream first = transport.open(b, p.page(), 0)) {
                page.writer().text("#n", "1").flush();
                page.writer().text("#n", "2").flush();
                assertEquals(1, first.next().get("seq").getAsLong());
                assertEquals(2, first.next().get("seq").getAsLong());
            }
            awaitValue("halley.streams.held", t, 0);
            for (int i = 3; i <= 5; i++) page.writer().text("#n", Integer.toString(i)).flush();
            try (FrameStream resumed = transport.open(b, p.page(), 2)) {
                for (int seq = 3; seq <= 5; seq++) assertEquals(seq, resumed.next().get("seq").getAsLong());
                awaitValue("halley.frames.replayed", t, 3);
                page.writer().text("#n", "live").flush();
                assertEquals(6, resumed.next().get("seq").getAsLong());
                awaitValue("halley.frames.written", t, 6);
            }
            assertEquals(3, value("halley.frames.replayed", "transport", t), "a live frame is not a replay");
            assertEquals(0, value("halley.resyncs", "transport", t));
            page.close();
        });
    }

    /**
     * A poll's frames are its normal delivery, never a replay; a socket (streaming, as SSE) counts
     * the frames the page buffered while its client was away as replayed.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Transport.class, names = {"POLL", "WS"})
    void aResumePointNoLongerBufferedCountsOneResync(Transport transport) {
        String t = transport.name().toLowerCase(java.util.Locale.ROOT);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("replayFrames", "2");
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            for (int i = 1; i <= 5; i++) page.writer().text("#n", Integer.toString(i)).flush();
            try (FrameStream stream = transport.open(b, p.page(), 1)) {
                assertTrue(Transport.isResync(stream.next()), "frames 2 and 3 are gone: a resync first");
                assertEquals(4, stream.next().get("seq").getAsLong());
                assertEquals(5, stream.next().get("seq").getAsLong());
                awaitValue("halley.resyncs", t, 1);
                awaitValue("halley.frames.written", t, 3); // the resync frame and frames 4, 5
            }
            assertEquals(transport == Transport.POLL ? 0 : 2, value("halley.frames.replayed", "transport", t),
                    "a poll's frames are its delivery; a socket's 4 and 5 were buffered while it was away");
            page.close();
        });
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Transport.class, names = {"SSE", "WS"})
    void aStalledStreamCountsOneSlowConsumerDropped(Transport transport) {
        String t = transport.name().toLowerCase(java.util.Locale.ROOT);
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("replayBytes", String.valueOf(4 << 20));
            params.put("pageLease", "PT30S");
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            try (RawHttp stuck = transport.raw(b, p.page(), 0)) {
                assertEquals(transport == Transport.WS ? 101 : 200, stuck.status()); // and never reads the body
                String big = "x".repeat(100_000);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (server.servlet().heldConnections() > 0 && System.nanoTime() < deadline) {
                    try {
                        page.writer().text("#big", big).flush();
                    } catch (HalleyException full) {
                        // the replay buffer is full: keep waiting for the drop
                    }
                    Thread.sleep(5);
                }
                assertEquals(0, server.servlet().heldConnections(), "the stalled stream was dropped");
            }
            assertEquals(1, value("halley.slow.consumers.dropped", "transport", t));
            awaitValue("halley.streams.held", t, 0);
            page.close();
        });
    }

    @Test
    void anOverflowingChannelStreamCountsOneSlowConsumerDropped() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("channelStreamBuffer", "8");
            server = Container.start(JETTY, params);
            HttpBrowser b = new HttpBrowser(server);
            try (RawHttp stuck = RawHttp.get(server.uri("/comet/ticks?callback=f"), b.cookieHeader(), Map.of(), false)) {
                assertEquals(200, stuck.status()); // and never reads the body
                awaitValue("halley.streams.held", "comet", 1);
                String big = "y".repeat(20_000);
                for (int i = 0; i < 400 && value("halley.slow.consumers.dropped", "transport", "comet") == 0; i++) {
                    server.halley().publish("ticks", big);
                }
                awaitValue("halley.slow.consumers.dropped", "comet", 1);
            }
            awaitValue("halley.streams.held", "comet", 0);
            assertEquals(1, value("halley.slow.consumers.dropped", "transport", "comet"));
        });
    }

    @Test
    void callbacksAndActionsCountRunsAndFailures() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            server.halley().register("fine", (r, args) -> "ok");
            server.halley().register("broken", (r, args) -> {
                throw new IllegalStateException("boom (expected by the test)");
            });
            server.halley().action("sum", params -> params.getAsJsonArray().size());
            server.halley().action("bad", params -> {
                throw new IllegalStateException("bang (expected by the test)");
            });
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            try (FrameStream sse = Transport.SSE.open(b, p.page(), 0)) {
                b.postOk(p, "/call/fine", "\"args\":[]", 202);
                b.postOk(p, "/call/broken", "\"args\":[]", 202);
                b.postOk(p, "/call/fine", "\"args\":[]", 202);
                b.postOk(p, "/action/sum", "\"params\":[1,2],\"request\":\"r-1\"", 202);
                b.postOk(p, "/action/bad", "\"params\":[],\"request\":\"r-2\"", 202);
                b.postOk(p, "/action/nowhere", "\"params\":[],\"request\":\"r-3\"", 202);
                int done = 0;
                int fail = 0;
                int replies = 0;
                while (done + fail + replies < 6) {
                    for (var c : sse.next().getAsJsonArray("cmds")) {
                        String op = ((JsonObject) c).get("op").getAsString();
                        if (op.equals("done")) done++;
                        if (op.equals("fail")) fail++;
                        if (op.equals("reply")) replies++;
                    }
                }
                assertEquals(2, done);
                assertEquals(1, fail);
                assertEquals(3, replies);
            }
            assertEquals(3, value("halley.callbacks.run"));
            assertEquals(1, value("halley.callbacks.failed"));
            assertEquals(3, value("halley.actions.run"));
            assertEquals(2, value("halley.actions.failed"), "the throwing handler and the unknown route");
            server.page(p.page()).close();
        });
    }

    @Test
    void aChannelMessageCountsOneFanOutRound() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            Page page = server.page(p.page());
            page.subscribe("news");
            try (FrameStream sse = Transport.SSE.open(b, p.page(), 0)) {
                server.halley().publish("news", "hello");
                JsonObject cmd = sse.next().getAsJsonArray("cmds").get(0).getAsJsonObject();
                assertEquals("message", cmd.get("op").getAsString());
            }
            Meter rounds = metrics().meter("halley.fanout.rounds");
            Await.until("one round recorded", WAIT, () -> rounds.value() == 1);
            assertTrue(rounds.totalSeconds() > 0 && rounds.totalSeconds() < 10, "its time: " + rounds.totalSeconds());
            assertEquals(0, value("halley.fanout.queue.depth"), "nothing waits for a fan-out thread");
            page.close();
        });
    }

    @Test
    void jmxShowsTheSameValuesWhileTheRuntimeRuns() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = Container.start(JETTY, TestServer.fastParams());
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("io.halley:type=Halley,name=" + server.halley().config().nodeId());
            assertEquals(name, metrics().objectName());
            assertTrue(jmx.isRegistered(name));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            try (FrameStream sse = Transport.SSE.open(b, p.page(), 0)) {
                server.page(p.page()).writer().text("#n", "1").flush();
                sse.next();
                assertEquals(1L, jmx.getAttribute(name, "pages.live"));
                Await.until("held on JMX", WAIT, () -> Long.valueOf(1).equals(attribute(jmx, name, "streams.held.sse")));
                assertEquals(1L, jmx.getAttribute(name, "frames.written.sse"));
                assertEquals(0L, jmx.getAttribute(name, "streams.held.poll"));
                assertEquals(0L, jmx.getAttribute(name, "fanout.rounds.count"));
                assertEquals(0.0, jmx.getAttribute(name, "fanout.rounds.totalSeconds"));
                int attributes = jmx.getMBeanInfo(name).getAttributes().length;
                assertEquals(metrics().meters().size() + 1, attributes, "one per meter, two for the timer");
            }
            server.page(p.page()).close();
            server.close();
            assertFalse(jmx.isRegistered(name), "the MBean leaves with the runtime");
            server = null;
        });
    }

    @Test
    void theJmxSettingFalseRegistersNothing() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Map<String, String> params = TestServer.fastParams();
            params.put("jmx", "false");
            server = Container.start(JETTY, params);
            assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(metrics().objectName()));
            assertEquals(0, value("halley.pages.live"), "the meters are there all the same");
        });
    }

    private static Object attribute(MBeanServer jmx, ObjectName name, String attribute) {
        try {
            return jmx.getAttribute(name, attribute);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
