package io.halley.servlet.internal.play;

import io.halley.servlet.internal.HeldWriter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
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
 * {@link io.halley.servlet.ScriptStream}; its {@link HeldWriter} writes it.
 *
 * <p><b>Steps.</b> The publisher's elements become pending chunks (the preamble first); each
 * {@link #step} writes one pending chunk; when none is pending it requests the next {@code batch}
 * elements (only when none are outstanding: nothing is requested before the output is ready),
 * then flushes; when the publisher completed or failed and nothing is pending, the response is
 * done. Signals write on the thread that brings them (the publisher's, the heartbeat timer's,
 * the container's), never blocking: the writer leaves when the output is not ready and the
 * container's {@code onWritePossible} resumes it. A client that went away, an async error or an
 * element that cannot be encoded ends the stream at once and cancels the subscription.
 */
public final class ScriptStreamWriter<T> implements HeldWriter.Steps {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptStreamWriter.class);

    private static final byte[] NEWLINE = {'\n'};

    private final ScriptChunks stream;
    private final AsyncContext async;
    private final HeldWriter writer;
    private final Function<T, String> encode;
    private final int batch;
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>(); // guarded by lock
    private Flow.Subscription subscription; // guarded by lock
    private long outstanding; // guarded by lock
    private boolean ending; // guarded by lock: the publisher completed or failed
    private boolean closed; // guarded by lock
    private boolean needFlush; // owned by the writer

    private ScriptStreamWriter(ScriptChunks stream, AsyncContext async, ServletOutputStream out, Function<T, String> encode,
                               int batch, java.util.concurrent.Executor writers) {
        this.stream = stream;
        this.async = async;
        this.encode = encode;
        this.batch = batch;
        this.writer = new HeldWriter(out, writers == null ? async::start : writers, this, "a script stream");
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
        return start(req, resp, publisher, encode, chunks, batch, null);
    }

    /**
     * As {@link #start(HttpServletRequest, HttpServletResponse, Flow.Publisher, Function, ScriptChunks, int)},
     * with dispatched writes on {@code writers} (the servlet's writer threads; null: the
     * response's {@code AsyncContext#start}).
     */
    public static <T> ScriptStreamWriter<T> start(HttpServletRequest req, HttpServletResponse resp, Flow.Publisher<T> publisher,
                                                  Function<T, String> encode, ScriptChunks chunks, int batch,
                                                  java.util.concurrent.Executor writers) {
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
            writer = new ScriptStreamWriter<>(chunks, async, resp.getOutputStream(), encode, batch, writers);
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
        async.addListener(writer.endsWithResponse(() -> close(true)));
        publisher.subscribe(new Upstream()); // nothing is requested before the output is ready
        writer.listen(); // the container calls onWritePossible once ready
    }

    /**
     * Writes a newline (blank in an HTML body) when nothing else is pending, so that a client that
     * went away is noticed (the write fails) on a quiet stream. Any thread (the timer's): the
     * newline is written on a dispatched thread (the servlet's writer threads, or a container
     * thread for an application's {@code ScriptStream}); non-blocking.
     */
    void heartbeat() {
        synchronized (lock) {
            if (closed || ending || !pending.isEmpty()) return;
            pending.add(NEWLINE);
        }
        writer.dispatch();
    }

    /** True when the writer is idle and wrote nothing for {@code nanos}: a probe ({@link #heartbeat}) is due. Any thread. */
    boolean quietFor(long nanos) {
        return writer.quietFor(nanos);
    }

    /** The publisher's side: elements become pending chunks; its end ends the stream once they are written. */
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
            writer.iterate();
        }

        @Override
        public void onNext(T item) {
            byte[] bytes;
            try {
                bytes = stream.chunk(encode.apply(item)).getBytes(StandardCharsets.UTF_8);
            } catch (RuntimeException e) {
                LOG.warn("script stream element could not be encoded; closing the stream", e);
                writer.fail(e);
                return;
            }
            synchronized (lock) {
                if (closed) return;
                if (outstanding > 0) outstanding--;
                pending.add(bytes);
            }
            writer.iterate();
        }

        @Override
        public void onError(Throwable t) {
            LOG.debug("script stream publisher failed: {}", t.toString());
            synchronized (lock) {
                ending = true;
            }
            writer.iterate();
        }

        @Override
        public void onComplete() {
            synchronized (lock) {
                ending = true;
            }
            writer.iterate();
        }
    }

    // ---- the steps (the writer's thread) ----

    @Override
    public HeldWriter.Result step(ServletOutputStream out) throws IOException {
        byte[] chunk;
        Flow.Subscription s = null;
        synchronized (lock) {
            chunk = pending.poll();
            if (chunk == null) {
                if (ending) return HeldWriter.Result.DONE;
                if (outstanding == 0 && subscription != null) {
                    outstanding = batch;
                    s = subscription;
                }
            }
        }
        if (chunk != null) {
            out.write(chunk);
            needFlush = true;
            return HeldWriter.Result.WROTE;
        }
        if (s != null) s.request(batch); // may deliver at once: onNext asks the writer to look again
        if (!needFlush) return HeldWriter.Result.IDLE;
        needFlush = false;
        out.flush();
        return HeldWriter.Result.WROTE;
    }

    /** The writer ended: completes the response; after a failure, cancels the subscription too. */
    @Override
    public void ended(Throwable failure) {
        if (failure != null) LOG.debug("script stream ended: {}", failure.toString());
        close(failure != null);
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
}
