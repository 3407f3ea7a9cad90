package io.halley.servlet.internal.play;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges one {@link Flow.Publisher} to one non-blocking servlet response for
 * {@link io.halley.servlet.ScriptStream}.
 *
 * <p><b>States.</b> OPEN (writing chunks as they come) → ENDING (upstream completed or failed:
 * write what is pending, then complete) → CLOSED (completed, or the client went away: subscription
 * cancelled). One thread at a time drains the pending chunks (the {@code draining} flag, under
 * {@code lock}; a signal arriving while another thread drains sets {@code signalled}, which makes
 * the drainer loop once more before it leaves, so no subscription, demand or end is lost); the
 * others only enqueue. The drainer writes while {@code isReady()}; when it is
 * not, it stops and the container's {@code onWritePossible} resumes it. New elements are requested
 * only when nothing is pending and the output is ready.
 */
public final class ScriptStreamWriter<T> implements WriteListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptStreamWriter.class);

    private static final byte[] NEWLINE = {'\n'};

    private final ScriptChunks stream;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final Function<T, String> encode;
    private final int batch;
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private Flow.Subscription subscription; // guarded by lock
    private long outstanding; // guarded by lock
    private boolean ending; // guarded by lock
    private boolean closed; // guarded by lock
    private boolean draining; // guarded by lock
    private boolean signalled; // guarded by lock: state changed while another thread drained
    private boolean writeListenerReady; // guarded by lock

    private ScriptStreamWriter(ScriptChunks stream, AsyncContext async, ServletOutputStream out, Function<T, String> encode, int batch) {
        this.stream = stream;
        this.async = async;
        this.out = out;
        this.encode = encode;
        this.batch = batch;
    }

    /**
     * Starts a script stream of {@code publisher} on {@code resp}: sets the headers, starts async
     * (or takes the started one) and subscribes. Called on the request's thread; returns at once.
     *
     * @return the writer (for heartbeats), or null when the output could not be had (the async
     *         context is then completed)
     */
    public static <T> ScriptStreamWriter<T> start(HttpServletRequest req, HttpServletResponse resp, Flow.Publisher<T> publisher,
                                                  Function<T, String> encode, ScriptChunks chunks, int batch) {
        java.util.Objects.requireNonNull(publisher, "publisher");
        resp.setStatus(200);
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        resp.setHeader("X-Accel-Buffering", "no");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        AsyncContext async = req.isAsyncStarted() ? req.getAsyncContext() : req.startAsync(req, resp);
        async.setTimeout(0);
        ScriptStreamWriter<T> writer;
        try {
            writer = new ScriptStreamWriter<>(chunks, async, resp.getOutputStream(), encode, batch);
        } catch (java.io.IOException e) {
            async.complete();
            return null;
        }
        writer.begin(publisher);
        return writer;
    }

    private void begin(Flow.Publisher<T> publisher) {
        synchronized (lock) {
            pending.add(stream.preamble().getBytes(StandardCharsets.UTF_8));
        }
        async.addListener(this);
        publisher.subscribe(new Upstream()); // nothing is requested before the output is ready
        out.setWriteListener(this); // the container calls onWritePossible once ready
    }

    /**
     * Writes a newline (blank in an HTML body) when nothing else is pending, so that a client that
     * went away is noticed (the write fails) on a quiet stream. Any thread; non-blocking.
     */
    void heartbeat() {
        synchronized (lock) {
            if (closed || ending || !pending.isEmpty()) return;
            pending.add(NEWLINE);
        }
        drain();
    }

    // ---- WriteListener ----

    @Override
    public void onWritePossible() {
        synchronized (lock) {
            writeListenerReady = true;
        }
        drain();
    }

    @Override
    public void onError(Throwable t) {
        LOG.debug("script stream client went away: {}", t.toString());
        close(true);
    }

    /** The publisher's side: elements become pending chunks; the end moves to ENDING. */
    private final class Upstream implements Flow.Subscriber<T> {

        @Override
        public void onSubscribe(Flow.Subscription s) {
            boolean cancel;
            synchronized (lock) {
                cancel = closed || subscription != null;
                if (!cancel) subscription = s;
            }
            if (cancel) {
                s.cancel();
                return;
            }
            drain();
        }

        @Override
        public void onNext(T item) {
            byte[] bytes;
            try {
                bytes = stream.chunk(encode.apply(item)).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                LOG.warn("script stream element could not be encoded; closing the stream", e);
                close(true);
                return;
            }
            synchronized (lock) {
                if (closed) return;
                if (outstanding > 0) outstanding--;
                pending.add(bytes);
            }
            drain();
        }

        @Override
        public void onError(Throwable t) {
            LOG.debug("script stream publisher failed: {}", t.toString());
            synchronized (lock) {
                ending = true;
            }
            drain();
        }

        @Override
        public void onComplete() {
            synchronized (lock) {
                ending = true;
            }
            drain();
        }
    }

    // ---- writing ----

    private void drain() {
        synchronized (lock) {
            if (closed || !writeListenerReady) return;
            if (draining) {
                // the drainer may already have looked at what we changed (subscription, end):
                // make it look once more before it leaves, or the signal would be lost
                signalled = true;
                return;
            }
            draining = true;
            signalled = false;
        }
        long request = 0;
        Flow.Subscription s = null;
        try {
            while (true) {
                byte[] chunk;
                boolean finish = false;
                synchronized (lock) {
                    if (closed || !out.isReady()) { // not ready: onWritePossible resumes
                        draining = false;
                        return;
                    }
                    chunk = pending.poll();
                    if (chunk == null) {
                        if (ending) {
                            finish = true;
                        } else if (outstanding == 0 && subscription != null) {
                            outstanding = batch;
                            request += batch;
                            s = subscription;
                        }
                    }
                }
                if (chunk != null) {
                    out.write(chunk);
                    continue;
                }
                if (finish) {
                    synchronized (lock) {
                        draining = false;
                    }
                    close(false);
                    return;
                }
                if (out.isReady()) out.flush();
                synchronized (lock) {
                    if (closed || (pending.isEmpty() && !signalled)) {
                        draining = false;
                        break;
                    }
                    signalled = false;
                }
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("script stream write failed: {}", e.toString());
            synchronized (lock) {
                draining = false;
            }
            close(true);
        } finally {
            if (request > 0) s.request(request); // on every exit path, or the stream would stall
        }
    }

    private void close(boolean cancelUpstream) {
        Flow.Subscription s;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            s = subscription;
            pending.clear();
        }
        if (cancelUpstream && s != null) s.cancel();
        try {
            async.complete();
        } catch (IllegalStateException e) {
            LOG.debug("script stream already completed");
        }
    }

    // ---- AsyncListener ----

    @Override
    public void onComplete(AsyncEvent event) {
        close(true);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close(true);
    }

    @Override
    public void onError(AsyncEvent event) {
        close(true);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
