package io.halley.servlet.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Huge POST bodies (50 MB declared, or chunked and streamed slowly) get 413 with a JSON error in
 * bounded time, after reading at most about maxBodyBytes: the server's heap does not grow by the
 * body size, and the page they named keeps working.
 */
class HugeBodyTest extends ScenarioTest {
    static final long HUGE = 50L << 20;

    @ParameterizedTest
    @ValueSource(strings = {"/page", "/call/x", "/action/x", "/subscribe"})
    void aDeclared50MegabyteBodyGets413BeforeItIsSent(String path) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            // the page is attached to nothing while the two full GCs run: a lease longer than
            // they can take on a loaded machine, so "the page still works" checks the refusal only
            TestServer server = start(Map.of("pageLease", "PT30S"));
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            long heapBefore = usedHeapAfterGc();
            long t0 = System.nanoTime();
            try (Socket s = connect(server)) {
                OutputStream out = s.getOutputStream();
                out.write(head(server, b, p, path, "Content-Length: " + HUGE).getBytes(StandardCharsets.ISO_8859_1));
                out.write("{\"x\":\"".getBytes(StandardCharsets.UTF_8)); // then stops: the answer must not wait for the rest
                out.flush();
                String resp = readResponse(s.getInputStream());
                assertTrue(resp.startsWith("HTTP/1.1 413 "), resp);
                assertTrue(resp.contains("{\"error\":"), resp);
                assertTrue(resp.contains("maxBodyBytes"), resp);
            }
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "answered in bounded time");
            assertTrue(usedHeapAfterGc() - heapBefore < 16L << 20, "heap did not grow by the body size");
            assertEquals(200, b.get("/page?page=" + p.page()).status(), "the page still works");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/page", "/call/x"})
    void aChunkedBodyStreamedSlowlyGets413AfterAboutMaxBodyBytes(String path) {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            TestServer server = start(Map.of());
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            long heapBefore = usedHeapAfterGc();
            AtomicLong sent = new AtomicLong();
            long sentAtAnswer;
            try (Socket s = connect(server)) {
                OutputStream out = s.getOutputStream();
                out.write(head(server, b, p, path, "Transfer-Encoding: chunked").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread writer = new Thread(() -> {
                    byte[] data = new byte[8192];
                    Arrays.fill(data, (byte) 'a');
                    byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                    try {
                        while (sent.get() < HUGE && System.nanoTime() < until) {
                            out.write(size);
                            out.write(data);
                            out.write(new byte[] {'\r', '\n'});
                            out.flush();
                            sent.addAndGet(data.length);
                            Thread.sleep(2); // slowly: about 4 MB/s at most
                        }
                    } catch (IOException | InterruptedException e) {
                        // the server answered and closed: expected
                    }
                }, "slow-body");
                writer.setDaemon(true);
                writer.start();
                String resp = readResponse(s.getInputStream());
                sentAtAnswer = sent.get();
                assertTrue(resp.startsWith("HTTP/1.1 413 "), resp);
                assertTrue(resp.contains("{\"error\":"), resp);
                s.close();
                writer.join(5000);
            }
            assertTrue(sentAtAnswer < 8L << 20, "answered after " + sentAtAnswer + " bytes, not after the whole body");
            assertTrue(usedHeapAfterGc() - heapBefore < 16L << 20, "heap did not grow by the body size");
            assertEquals(200, b.get("/page?page=" + p.page()).status(), "the page still works");
        });
    }

    static Socket connect(TestServer server) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    static String head(TestServer server, HttpBrowser b, HttpBrowser.PageRef p, String path, String lengthHeader) {
        return "POST " + server.base().getRawPath() + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
                + "Origin: " + b.origin() + "\r\nCookie: " + b.cookieHeader() + "\r\nX-Halley-Token: " + p.token() + "\r\n"
                + "Content-Type: application/json\r\n" + lengthHeader + "\r\n\r\n";
    }

    /** Status line, headers and a Content-Length body (or what arrives before the close). */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            buf.write(c);
            String s = buf.toString(StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\r\n\r\n");
            if (end >= 0) {
                int cl = s.toLowerCase().indexOf("content-length:");
                if (cl < 0 || cl > end) return s;
                int len = Integer.parseInt(s.substring(cl + 15, s.indexOf("\r\n", cl)).trim());
                byte[] body = in.readNBytes(len);
                return s + new String(body, StandardCharsets.UTF_8);
            }
            if (buf.size() > 65536) break;
        }
        return buf.toString(StandardCharsets.ISO_8859_1);
    }
}
