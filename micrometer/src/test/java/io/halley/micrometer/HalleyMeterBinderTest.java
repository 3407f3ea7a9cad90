package io.halley.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.halley.core.Page;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every Halley meter in a Micrometer registry, reading the runtime's values after real traffic. */
class HalleyMeterBinderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestServer server;

    @AfterEach
    void noLeaks() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void theRegistryReadsPagesStreamsFramesAndRoundsAfterRealTraffic() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = TestServer.jetty().initParams(TestServer.fastParams()).start();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            try (HalleyMeterBinder binder = new HalleyMeterBinder(server.halley())) {
                binder.bindTo(registry);
                assertEquals(server.halley().metrics().meters().size(), registry.getMeters().size(), "every meter bound");
                HttpBrowser b = new HttpBrowser(server);
                HttpBrowser.PageRef p = b.openPage();
                Page page = server.page(p.page());
                page.subscribe("news");
                assertEquals(1.0, registry.get("halley.pages.live").gauge().value());
                try (FrameStream sse = Transport.SSE.open(b, p.page(), 0)) {
                    page.writer().text("#n", "1").flush();
                    server.halley().publish("news", "hello");
                    sse.next();
                    sse.next();
                    Await.until("held", WAIT, () -> registry.get("halley.streams.held").tag("transport", "sse").gauge().value() == 1);
                    assertEquals(0.0, registry.get("halley.streams.held").tag("transport", "poll").gauge().value());
                    Await.until("two frames", WAIT, () ->
                            registry.get("halley.frames.written").tag("transport", "sse").functionCounter().count() == 2);
                    Await.until("one round", WAIT, () -> registry.get("halley.fanout.rounds").functionTimer().count() == 1);
                    assertEquals(server.halley().metrics().meter("halley.fanout.rounds").totalSeconds(),
                            registry.get("halley.fanout.rounds").functionTimer().totalTime(TimeUnit.SECONDS), 1e-9);
                    double bytes = registry.get("halley.streams.written").tag("transport", "sse").functionCounter().count();
                    assertEquals(server.halley().metrics().transport("sse").bytesWritten(), bytes, 0.0);
                }
                page.close();
                Await.until("no stream", WAIT, () -> registry.get("halley.streams.held").tag("transport", "sse").gauge().value() == 0);
                assertEquals(0.0, registry.get("halley.pages.live").gauge().value());
                Meter.Id id = registry.get("halley.streams.written").tag("transport", "sse").functionCounter().getId();
                assertEquals("bytes", id.getBaseUnit());
                assertEquals(Meter.Type.COUNTER, id.getType());
            }
        });
    }

    @Test
    void aTransportThatAppearsLaterIsBoundWithTheCommonTags() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            server = TestServer.jetty().initParams(TestServer.fastParams()).start();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            String node = server.halley().config().nodeId();
            try (HalleyMeterBinder binder = new HalleyMeterBinder(server.halley().metrics(), Tags.of("node", node))) {
                binder.bindTo(registry);
                int before = registry.getMeters().size();
                server.halley().metrics().transport("ws").wroteFrames(4);
                assertEquals(before + 6, registry.getMeters().size());
                assertEquals(4.0, registry.get("halley.frames.written").tags("transport", "ws", "node", node).functionCounter().count());
                assertEquals(0.0, registry.get("halley.hub.publish.failures").tag("node", node).functionCounter().count());
            }
            server.halley().metrics().transport("late");
            assertEquals(0, registry.find("halley.frames.written").tag("transport", "late").meters().size(),
                    "a closed binder binds nothing more");
        });
    }
}
