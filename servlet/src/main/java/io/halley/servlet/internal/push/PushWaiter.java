package io.halley.servlet.internal.push;

import io.halley.servlet.internal.HeldWriter;
import io.halley.servlet.internal.stream.Connections;
import io.halley.servlet.internal.stream.Held;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held {@code GET /push/sub}: waits (an {@code AsyncContext}, no thread) for a message after
 * {@link #after} on its {@link PushChannel}, and is answered exactly once, by whichever comes
 * first: a message ({@link #wake}), the push timeout (an empty 200), a newer request of the same
 * session and client (409, {@link #conflict}), the channel's deletion (410, {@link #gone}) or the
 * servlet stopping (an empty 200). The answer is computed and written on a writer thread
 * (the servlet's {@code halley-servlet-io}) by its {@link HeldWriter}, whose steps are: the answer's headers and
 * body in one non-blocking write, then completion. A client that went away is released quietly.
 */
public final class PushWaiter implements Held, HeldWriter.Steps {
    private static final Logger LOG = LoggerFactory.getLogger(PushWaiter.class);

    /** The last message id the client has: it waits for a later one. */
    final long after;
    /** Session and client key for the subscriber-conflict rule, or null (no session). */
    final String key;
    private final PushChannel channel;
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final Connections registry;
    private final String lastModified;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile long deadline; // System.nanoTime(); 0 while there is none (expireIfDue)
    private volatile Supplier<PushReply> reply; // set once, by the answer
    private final HeldWriter writer;
    private boolean written; // owned by the writer

    PushWaiter(PushChannel channel, long after, String key, String lastModified, AsyncContext async,
               HttpServletResponse response, Connections registry, java.util.concurrent.Executor writers) throws IOException {
        this.channel = channel;
        this.after = after;
        this.key = key;
        this.lastModified = lastModified;
        this.async = async;
        this.response = response;
        this.registry = registry;
        this.writer = new HeldWriter(response.getOutputStream(), writers, this, "a push subscriber");
    }

    /** Registers the response's write listener (the request's thread); the answer is written once there is one. */
    void listen() {
        try {
            writer.listen();
        } catch (RuntimeException e) {
            LOG.warn("cannot hold a push subscriber of {}", channel.name, e);
            writer.fail(e);
        }
    }

    /** Starts the push timeout: the servlet's deadline sweep ({@link #expireIfDue}) answers once it passed. */
    void startTimer(Duration pushTimeout) {
        long d = System.nanoTime() + pushTimeout.toNanos();
        deadline = d == 0 ? 1 : d; // 0 means none
    }

    @Override
    public void expireIfDue(long nowNanos) {
        long d = deadline;
        if (d == 0 || nowNanos - d < 0 || answered.get()) return;
        deadline = 0;
        timedOut();
    }

    /** A message after {@link #after} arrived: answers with it (read on a writer thread). */
    void wake() {
        answer(() -> {
            PushMessage m = channel.next(after, true);
            return m != null ? PushReply.message(m) : nothingNew();
        });
    }

    /** A newer request of the same session and client took this one's place. */
    void conflict() {
        answer(() -> PushReply.error(409, "subscriber conflict: a newer request of this session for channel '"
                + channel.name + "' replaced this one"));
    }

    /** The channel was deleted. */
    void gone() {
        answer(() -> PushReply.error(410, "channel '" + channel.name + "' was deleted"));
    }

    @Override
    public void shutdown() {
        answer(this::nothingNew);
    }

    private void timedOut() {
        if (channel.remove(this)) answer(this::nothingNew);
    }

    private PushReply nothingNew() {
        return PushReply.nothingNew(after, lastModified);
    }

    private void answer(Supplier<PushReply> answer) {
        if (!answered.compareAndSet(false, true)) return;
        channel.remove(this);
        reply = answer;
        writer.dispatch(); // computed and written on a writer thread
    }

    /** The writer's thread: the answer's headers and body once it is known, then done. */
    @Override
    public HeldWriter.Result step(ServletOutputStream out) throws IOException {
        Supplier<PushReply> answer = reply;
        if (answer == null) return HeldWriter.Result.IDLE;
        if (written) return HeldWriter.Result.DONE;
        written = true;
        PushReply r = answer.get();
        r.prepare(response);
        byte[] body = r.body();
        if (body.length > 0) out.write(body);
        return HeldWriter.Result.WROTE;
    }

    /** The writer ended: completes the response (at once after a failure: the client went away) and releases. */
    @Override
    public void ended(Throwable failure) {
        if (failure != null) LOG.debug("push subscriber of {} ended: {}", channel.name, failure.toString());
        complete();
    }

    private void complete() {
        try {
            async.complete();
        } catch (RuntimeException e) {
            LOG.debug("push answer already completed: {}", e.toString());
        }
        release();
    }

    /** Frees the held-request slot; once. */
    /** The listener {@link PushEndpoint} registers: the writer ends with the response, then the waiter is released. */
    AsyncListener endsWithResponse() {
        return writer.endsWithResponse(this::release);
    }

    private void release() {
        if (!released.compareAndSet(false, true)) return;
        answered.set(true);
        channel.remove(this);
        registry.remove(this);
    }
}
