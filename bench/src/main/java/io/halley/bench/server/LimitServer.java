package io.halley.bench.server;

import io.halley.bench.load.Payload;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;

/**
 * The limit: the least a Jetty 12 async servlet can do to hold SSE connections and push the same
 * bytes as Halley, with no framework. {@code GET /sse} goes async, writes Halley's opening comment
 * and joins one set of connections; a publish encodes its events once into one shared byte array
 * and hands it to every connection, which writes it at once from the publishing thread when its
 * output is ready (coalescing whatever queued meanwhile into one write), else from the
 * container's {@code onWritePossible}. A heartbeat comment every 15 s, as Halley. No sessions, no
 * pages, no replay buffer, no per-page sequence. {@code GET /ws} is the same over WebSocket
 * ({@link LimitWebSocket}): each publish also goes out as one text message of Halley's frames.
 */
public final class LimitServer implements BenchServer {
    static final byte[] OPEN = ": halley\n\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] HEARTBEAT = ": hb\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final AtomicLong bn = new AtomicLong();
    private final LimitWebSocket ws = new LimitWebSocket();

    public LimitServer(int port, Duration heartbeat) throws Exception {
        server = Jetty.server(port);
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        ctx.setContextPath("/");
        ServletHolder holder = new ServletHolder("sse", new SseServlet());
        holder.setAsyncSupported(true);
        ctx.addServlet(holder, "/sse");
        // the WebSocket baseline beside the SSE one: a bare jakarta.websocket endpoint at /ws
        JakartaWebSocketServletContainerInitializer.configure(ctx, (context, container) -> container.addEndpoint(ws.config()));
        server.setHandler(ctx);
        server.start();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "limit-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long hb = heartbeat.toMillis();
        timer.scheduleAtFixedRate(() -> {
            for (Conn c : conns) c.offer(HEARTBEAT);
            ws.heartbeat();
        }, hb, hb, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "limit";
    }

    @Override
    public int port() {
        return Jetty.port(server);
    }

    @Override
    public long publish(int n, int size, long due) {
        ByteArrayOutputStream events = new ByteArrayOutputStream(n * (size + 96));
        java.util.List<String> jsons = new java.util.ArrayList<>(n);
        long first = 0;
        for (int i = 0; i < n; i++) {
            long id = bn.incrementAndGet();
            if (i == 0) first = id;
            String json = Payload.json(id, due, size);
            jsons.add(json);
            events.writeBytes(Payload.sseEvent(id, id, json));
        }
        byte[] shared = events.toByteArray();
        for (Conn c : conns) c.offer(shared);
        ws.publish(first, jsons);
        return first;
    }

    @Override
    public int connections() {
        return conns.size() + ws.size();
    }

    @Override
    public int clientsKept() {
        return conns.size() + ws.size();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        for (Conn c : conns) c.end();
        ws.closeAll();
        Jetty.stop(server, Duration.ofMillis(500));
    }

    private final class SseServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(200);
            resp.setContentType("text/event-stream; charset=utf-8");
            resp.setHeader("Cache-Control", "no-cache, no-store");
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            Conn c = new Conn(async, resp.getOutputStream());
            async.addListener(c);
            conns.add(c);
            c.offer(OPEN);
            c.out.setWriteListener(c);
        }
    }

    /** One held response: pending bytes and a single writer at a time (the offering thread or the container). */
    private final class Conn implements WriteListener, AsyncListener {
        final AsyncContext async;
        final ServletOutputStream out;
        private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        private boolean started;   // the container called onWritePossible once
        private boolean writing;   // a thread holds the writer role
        private boolean retry;     // onWritePossible came while a writer was active
        private boolean flush;     // bytes written since the last flush
        private boolean done;

        Conn(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        void offer(byte[] bytes) {
            synchronized (this) {
                if (done) return;
                pending.addLast(bytes);
                if (!started || writing) return;
                writing = true;
            }
            drain();
        }

        @Override
        public void onWritePossible() {
            synchronized (this) {
                started = true;
                if (writing) {
                    retry = true;
                    return;
                }
                if (done) return;
                writing = true;
            }
            drain();
        }

        private void drain() {
            try {
                while (true) {
                    byte[] chunk;
                    boolean doFlush;
                    synchronized (this) {
                        retry = false;
                        if (done || (pending.isEmpty() && !flush)) {
                            writing = false;
                            return;
                        }
                    }
                    if (!out.isReady()) {
                        synchronized (this) {
                            if (!retry) {
                                writing = false;
                                return;
                            }
                        }
                        continue;
                    }
                    synchronized (this) {
                        chunk = take();
                        doFlush = chunk == null;
                        flush = !doFlush;
                    }
                    if (doFlush) out.flush();
                    else out.write(chunk);
                }
            } catch (IOException | RuntimeException e) {
                fail();
            }
        }

        /** Everything pending as one array, or null for none. Under lock. */
        private byte[] take() {
            if (pending.isEmpty()) return null;
            if (pending.size() == 1) return pending.pollFirst();
            int len = 0;
            for (byte[] b : pending) len += b.length;
            byte[] all = new byte[len];
            int at = 0;
            for (byte[] b : pending) {
                System.arraycopy(b, 0, all, at, b.length);
                at += b.length;
            }
            pending.clear();
            return all;
        }

        private void fail() {
            synchronized (this) {
                if (done) return;
                done = true;
                pending.clear();
            }
            conns.remove(this);
            try {
                async.complete();
            } catch (RuntimeException ignored) {
                // already completed
            }
        }

        void end() {
            fail();
        }

        @Override
        public void onError(Throwable t) {
            fail();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            synchronized (this) {
                done = true;
                pending.clear();
            }
            conns.remove(this);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            fail();
        }

        @Override
        public void onError(AsyncEvent event) {
            fail();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
