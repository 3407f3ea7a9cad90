package io.halley.servlet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer on a real Jetty: a response far larger than the socket buffers, written in steps
 * to a client that does not read at first, so that {@code isReady()} turns false and the
 * container's {@code onWritePossible} resumes the writer; and a client that resets mid-write.
 */
class HeldWriterJettyTest {
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 128; // 8 MiB

    private final BlockingQueue<Object> ends = new ArrayBlockingQueue<>(4);
    private final AtomicInteger notReady = new AtomicInteger();
    private Server server;
    private int port;

    /** Writes {@link #CHUNKS} chunks of {@code 'x'}, one per step, then completes. */
    final class BigServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/octet-stream");
            resp.setContentLength(CHUNK * CHUNKS);
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            byte[] chunk = new byte[CHUNK];
            Arrays.fill(chunk, (byte) 'x');
            ServletOutputStream out = new CountingOutput(resp.getOutputStream());
            HeldWriter writer = new HeldWriter(out, async::start, new HeldWriter.Steps() {
                int sent;

                @Override
                public HeldWriter.Result step(ServletOutputStream o) throws IOException {
                    if (sent == CHUNKS) return HeldWriter.Result.DONE;
                    o.write(chunk);
                    sent++;
                    return HeldWriter.Result.WROTE;
                }

                @Override
                public void ended(Throwable failure) {
                    ends.add(failure == null ? "done" : failure);
                    async.complete();
                }
            }, "a test response");
            writer.listen();
        }
    }

    /** The container's output, counting the times it was not ready. */
    final class CountingOutput extends ServletOutputStream {
        private final ServletOutputStream out;

        CountingOutput(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public boolean isReady() {
            boolean r = out.isReady();
            if (!r) notReady.incrementAndGet();
            return r;
        }

        @Override
        public void setWriteListener(WriteListener l) {
            out.setWriteListener(l);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        ServletHolder holder = new ServletHolder(new BigServlet());
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/big");
        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private Socket request() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setReceiveBufferSize(16 * 1024);
        s.setSoTimeout(10_000);
        OutputStream o = s.getOutputStream();
        o.write("GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        o.flush();
        return s;
    }

    @Test
    void aSlowReaderGetsTheWholeResponseAsTheWriterWaitsForOnWritePossible() throws Exception {
        try (Socket s = request()) {
            Thread.sleep(500); // not reading: the server's output fills up
            InputStream in = s.getInputStream();
            byte[] buf = new byte[16 * 1024];
            long total = 0;
            long xs = 0;
            boolean body = false;
            int crlf = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (body) {
                        total++;
                        if (buf[i] == 'x') xs++;
                    } else {
                        crlf = (buf[i] == '\r' || buf[i] == '\n') ? crlf + 1 : 0;
                        body = crlf == 4;
                    }
                }
            }
            assertEquals((long) CHUNK * CHUNKS, total);
            assertEquals(total, xs);
        }
        assertEquals("done", ends.poll(10, TimeUnit.SECONDS));
        assertTrue(notReady.get() > 0, "isReady() was false at least once");
        assertNull(ends.poll(200, TimeUnit.MILLISECONDS), "ended once");
    }

    @Test
    void aClientThatResetsMidWriteFailsTheWriterOnce() throws Exception {
        try (Socket s = request()) {
            s.getInputStream().read(new byte[1024]); // the response started
            s.setSoLinger(true, 0); // close with a reset
        }
        Object end = ends.poll(10, TimeUnit.SECONDS);
        assertInstanceOf(Throwable.class, end, "ended by a failure, not done: " + end);
        assertNull(ends.poll(200, TimeUnit.MILLISECONDS), "ended once");
    }
}
