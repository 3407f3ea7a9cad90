package io.halley.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The meter list: stable names and tags, live values, transports appearing later announced once. */
class HalleyMetricsTest {

    @Test
    void everyTransportStartsWithItsSixMetersAndGaugesReadTheirSource() {
        AtomicInteger pages = new AtomicInteger(3);
        HalleyMetrics m = new HalleyMetrics("n1", pages::get, () -> 7);
        assertEquals(1 + 6 * HalleyMetrics.TRANSPORTS.size() + 1 + 1 + 4 + 2, m.meters().size());
        assertEquals(3, m.meter("halley.pages.live").value());
        pages.set(5);
        assertEquals(5, m.meter("halley.pages.live").value());
        assertEquals(7, m.meter("halley.fanout.queue.depth").value());
        for (String t : HalleyMetrics.TRANSPORTS) {
            Meter held = m.meter("halley.streams.held", "transport", t);
            assertEquals(Meter.Kind.GAUGE, held.kind());
            assertEquals("streams.held." + t, held.attributeName());
        }
        assertNull(m.meter("halley.streams.held"), "the tags are part of the identity");
    }

    @Test
    void recordingMovesExactlyItsMeter() {
        HalleyMetrics m = new HalleyMetrics("n1", () -> 0, () -> 0);
        TransportMeters sse = m.transport("sse");
        sse.streamOpened();
        sse.streamOpened();
        sse.streamClosed();
        sse.wroteFrames(3);
        sse.wroteBytes(100);
        sse.replayedFrames(2);
        sse.sentResync();
        sse.droppedSlowConsumer();
        m.callbacks().ran();
        m.callbacks().failed();
        m.hub().publishFailed();
        m.hub().reconnected();
        m.fanOutRound(1_500_000_000L);
        assertEquals(1, m.meter("halley.streams.held", "transport", "sse").value());
        assertEquals(3, m.meter("halley.frames.written", "transport", "sse").value());
        assertEquals(100, m.meter("halley.streams.written", "transport", "sse").value());
        assertEquals(2, m.meter("halley.frames.replayed", "transport", "sse").value());
        assertEquals(1, m.meter("halley.resyncs", "transport", "sse").value());
        assertEquals(1, m.meter("halley.slow.consumers.dropped", "transport", "sse").value());
        assertEquals(0, m.meter("halley.frames.written", "transport", "poll").value());
        assertEquals(1, m.meter("halley.callbacks.run").value());
        assertEquals(1, m.meter("halley.callbacks.failed").value());
        assertEquals(0, m.meter("halley.actions.run").value());
        assertEquals(1, m.meter("halley.hub.publish.failures").value());
        assertEquals(1, m.meter("halley.hub.reconnects").value());
        Meter rounds = m.meter("halley.fanout.rounds");
        assertEquals(Meter.Kind.TIMER, rounds.kind());
        assertEquals(1, rounds.value());
        assertEquals(1.5, rounds.totalSeconds(), 1e-9);
    }

    @Test
    void aNewTransportGetsItsMetersOnceAndListenersHearOfThem() throws Exception {
        HalleyMetrics m = new HalleyMetrics("n1", () -> 0, () -> 0);
        List<List<Meter>> heard = new ArrayList<>();
        AutoCloseable l = m.onNewMeters(heard::add);
        int before = m.meters().size();
        TransportMeters ws = m.transport("ws");
        assertSame(ws, m.transport("ws"));
        assertEquals(before + 6, m.meters().size());
        assertEquals(1, heard.size());
        assertEquals(6, heard.get(0).size());
        assertTrue(heard.get(0).stream().allMatch(x -> x.tags().equals(Map.of("transport", "ws"))));
        m.transport("sse");
        assertEquals(1, heard.size(), "a known transport is not announced");
        l.close();
        m.transport("other");
        assertEquals(1, heard.size(), "a removed listener hears nothing");
        assertThrows(IllegalArgumentException.class, () -> m.transport("Bad Name"));
        assertThrows(IllegalArgumentException.class, () -> m.meter("halley.resyncs", "transport"));
    }
}
