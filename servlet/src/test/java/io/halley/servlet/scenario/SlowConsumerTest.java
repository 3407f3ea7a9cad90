package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Page;
import io.halley.core.transport.PageStreams;
import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A client that reads a few bytes a second while its page is flooded: the page's buffer stays
 * within replayFrames / replayBytes (older frames are evicted, never kept for the slow reader), the
 * slow stream is dropped as stalled (no write progress for two heartbeats, the documented policy)
 * and its resume answers {@code resync}; meanwhile a fast client on another page of the same
 * server keeps receiving its frames at the producer's rate.
 */
class SlowConsumerTest extends ScenarioTest {
    static final int REPLAY_FRAMES = 50;
    static final int REPLAY_BYTES = 64 * 1024;

    @Test
    void aSlowReaderCostsBoundedMemoryGetsDroppedThenResyncAndDoesNotSlowOthers() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            TestServer server = start(params("replayFrames", String.valueOf(REPLAY_FRAMES),
                    "replayBytes", String.valueOf(REPLAY_BYTES), "pageLease", "PT30S"));
            HttpBrowser slowB = new HttpBrowser(server);
            HttpBrowser.PageRef slow = slowB.openPage();
            HttpBrowser fastB = new HttpBrowser(server);
            HttpBrowser.PageRef fast = fastB.openPage();
            Page slowPage = server.page(slow.page());
            long heapBefore = usedHeapAfterGc();

            // the fast page: one small frame every 10 ms for 3 s
            int fastFrames = 300;
            server.page(fast.page()).comet(c -> {
                for (int i = 1; i <= fastFrames; i++) {
                    c.text("#t", "tick " + i);
                    c.flush();
                    c.sleep(Duration.ofMillis(10));
                }
            });
            AtomicReference<Throwable> fastFailure = new AtomicReference<>();
            List<Long> arrivals = new ArrayList<>();
            AtomicLong fastDone = new AtomicLong();
            Thread fastReader = new Thread(() -> {
                try {
                    Transport.Received r = Transport.SSE.receive(fastB, fast.page(), 0, fastFrames, 0);
                    assertEquals(fastFrames, r.frames.size());
                    assertEquals(fastFrames, r.lastSeq);
                    fastDone.set(System.nanoTime());
                } catch (Throwable t) {
                    fastFailure.set(t);
                }
            }, "fast-reader");
            long fastStart = System.nanoTime();
            fastReader.start();

            // the slow reader: a tiny receive buffer, 8 bytes every 250 ms
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
                s.setSoTimeout(200);
                OutputStream out = s.getOutputStream();
                out.write(("GET " + server.base().getRawPath() + "/sse?page=" + slow.page() + "&since=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Cookie: " + slowB.cookieHeader() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                Await.until("both streams held", Duration.ofSeconds(5), () -> server.servlet().heldConnections() == 2);

                String big = "x".repeat(8000);
                long maxFrames = 0;
                long maxChars = 0;
                int flushed = 0;
                int slowRead = 0;
                boolean slowEnded = false;
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                long nextRead = System.nanoTime();
                while (System.nanoTime() < until && (flushed < 600 || server.servlet().heldConnections() > 1)) {
                    if (flushed < 600) {
                        slowPage.writer().text("#big", big + flushed).flush();
                        flushed++;
                    }
                    maxFrames = Math.max(maxFrames, PageStreams.frames(slowPage).bufferedFrames());
                    maxChars = Math.max(maxChars, PageStreams.frames(slowPage).bufferedBytes());
                    if (System.nanoTime() >= nextRead && !slowEnded) {
                        nextRead += Duration.ofMillis(250).toNanos();
                        try {
                            byte[] few = new byte[8];
                            int n = in.read(few);
                            if (n < 0) slowEnded = true;
                            else slowRead += n;
                        } catch (java.net.SocketTimeoutException e) {
                            // nothing readable yet
                        } catch (IOException e) {
                            slowEnded = true; // reset by the server
                        }
                    }
                    Thread.sleep(2);
                }
                assertTrue(maxFrames <= REPLAY_FRAMES, "frames buffered for the slow page: " + maxFrames);
                assertTrue(maxChars <= REPLAY_BYTES, "characters buffered for the slow page: " + maxChars);
                long heapDuring = usedHeapAfterGc();
                assertTrue(heapDuring - heapBefore < 32L << 20, "heap grew by " + ((heapDuring - heapBefore) >> 20)
                        + " MiB while " + (flushed * 8L / 1000) + " MB were flushed to a slow reader");
                Await.until("the stalled slow stream is dropped (read " + slowRead + " bytes)", Duration.ofSeconds(10),
                        () -> server.servlet().heldConnections() <= 1);
            }

            fastReader.join(20_000);
            if (fastFailure.get() != null) throw new AssertionError("fast client", fastFailure.get());
            assertTrue(fastDone.get() > 0, "fast client received every frame");
            long fastMillis = (fastDone.get() - fastStart) / 1_000_000;
            // 300 frames paced 10 ms apart take >= 3 s; a slowed client would take far longer
            assertTrue(fastMillis < 3000 + 4000, "fast client took " + fastMillis + " ms for " + fastFrames + " frames");

            // the slow client resumes from what it applied (nothing): the frames are gone, so it gets resync first
            try (FrameStream w = Transport.SSE.open(slowB, slow.page(), 0)) {
                JsonObject first = w.next();
                assertTrue(Transport.isResync(first), "first frame after the slow client's resume is resync: " + first);
                JsonObject cmd = first.getAsJsonArray("cmds").get(0).getAsJsonObject();
                assertTrue(first.get("seq").getAsLong() > 0, first.toString());
                assertEquals("resync", cmd.get("op").getAsString());
            }
        });
    }
}
