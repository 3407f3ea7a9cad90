package io.halley.servlet.internal.push;

import io.halley.servlet.internal.stream.Connections;
import io.halley.servlet.internal.stream.Held;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held {@code GET /push/sub}: waits (an {@code AsyncContext}, no thread) for a message after
 * {@link #after} on its {@link PushChannel}, and is answered exactly once, by whichever comes
 * first: a message ({@link #wake}), the push timeout (an empty 200), a newer request of the same
 * session and client (409, {@link #conflict}), the channel's deletion (410, {@link #gone}) or the
 * servlet stopping (an empty 200). The answer is computed and written on a container thread
 * ({@link AsyncContext#start}) with a non-blocking write; a client that went away is released
 * quietly.
 */
public final class PushWaiter implements Held, AsyncListener, WriteListener {
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
    private volatile ScheduledFuture<?> timeout;
    private ServletOutputStream out; // owned by the writing thread
    private byte[] body;
    private boolean written;

    PushWaiter(PushChannel channel, long after, String key, String lastModified, AsyncContext async,
               HttpServletResponse response, Connections registry) {
        this.channel = channel;
        this.after = after;
        this.key = key;
        this.lastModified = lastModified;
        this.async = async;
        this.response = response;
        this.registry = registry;
    }

    /** Starts the push timeout. */
    void startTimer(ScheduledExecutorService timer, Duration pushTimeout) {
        try {
            timeout = timer.schedule(this::timedOut, pushTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) { // the timer stopped: the servlet is stopping
            shutdown();
            return;
        }
        if (answered.get()) timeout.cancel(false);
    }

    /** A message after {@link #after} arrived: answers with it (read on a container thread). */
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

    private void answer(Supplier<PushReply> reply) {
        if (!answered.compareAndSet(false, true)) return;
        ScheduledFuture<?> t = timeout;
        if (t != null) t.cancel(false);
        channel.remove(this);
        try {
            async.start(() -> write(reply));
        } catch (RuntimeException e) { // completed meanwhile (the client went away)
            LOG.debug("push subscriber of {} gone before its answer: {}", channel.name, e.toString());
            release();
        }
    }

    private void write(Supplier<PushReply> reply) {
        try {
            PushReply r = reply.get();
            r.prepare(response);
            body = r.body();
            out = response.getOutputStream();
            out.setWriteListener(this);
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof IOException)) LOG.warn("answering a push subscriber of {} failed", channel.name, e);
            complete();
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        if (!written) {
            written = true;
            if (body.length > 0) out.write(body);
            if (!out.isReady()) return; // the container calls again once the write is done
        }
        complete();
    }

    @Override
    public void onError(Throwable t) {
        LOG.debug("push subscriber of {} went away: {}", channel.name, t.toString());
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
    private void release() {
        if (!released.compareAndSet(false, true)) return;
        answered.set(true);
        ScheduledFuture<?> t = timeout;
        if (t != null) t.cancel(false);
        channel.remove(this);
        registry.remove(this);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        complete();
    }

    @Override
    public void onError(AsyncEvent event) {
        LOG.debug("push subscriber of {} failed: {}", channel.name, String.valueOf(event.getThrowable()));
        complete();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
