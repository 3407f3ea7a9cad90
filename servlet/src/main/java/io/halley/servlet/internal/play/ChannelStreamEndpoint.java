package io.halley.servlet.internal.play;

import com.google.gson.JsonElement;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Names;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.stream.Connections;
import io.halley.servlet.internal.stream.Held;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /comet/<channel>?callback=f[&since=N]}: a Play-style forever stream of one channel
 * ({@link io.halley.servlet.ScriptStream}): an initial blank buffer, then {@code <script>f({"channel","id","data"});
 * </script>} per message, with the CSP nonce of {@link CometSettings#nonceFor} when one is set.
 * With {@code since} the messages still in the history after that id come first; a {@code since}
 * past the channel's newest id (an earlier numbering) gets
 * {@code f({"channel","event":"channelrestart","since","last"})} and then the messages from the
 * new start. A newline is
 * written every {@code heartbeat} on a quiet stream, so that a client that went away is noticed.
 *
 * <p>Refusals, as JSON errors before anything is streamed: 400 for a callback that is not a
 * strict dotted identifier, a bad channel name or {@code since}; 403 when
 * {@code channelPolicy().maySubscribe(null, channel)} refuses; 503 past
 * {@code maxHeldConnections}. A stream ends when the client goes away, when its buffer of
 * {@code channelStreamBuffer} messages overflows (the client reconnects with {@code since} = the
 * last id it got), or as the servlet stops; each end removes its channel listener.
 */
public final class ChannelStreamEndpoint {
    /** As {@code ScriptStream}'s defaults: Play's blank buffer, and elements requested at a time. */
    private static final int PLAY_PADDING = 5120;
    private static final int BATCH = 16;

    private final Halley halley;
    private final CometSettings settings;
    private final Connections registry;
    private final ScheduledExecutorService timer;

    private final java.util.concurrent.Executor writers;

    public ChannelStreamEndpoint(Halley halley, CometSettings settings, Connections registry, ScheduledExecutorService timer,
                                 java.util.concurrent.Executor writers) {
        this.writers = writers;
        this.halley = halley;
        this.settings = settings;
        this.registry = registry;
        this.timer = timer;
    }

    /**
     * Streams {@code channel}. Called on the request's thread; returns at once.
     *
     * @throws HalleyException BAD_INPUT or FORBIDDEN as described on the class
     */
    public void serve(String channel, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String callback = Http.required(req, "callback");
        if (!Names.isDottedIdentifier(callback)) {
            throw Http.badInput("'callback' must be a dotted JavaScript identifier such as parent.onMessage");
        }
        Names.requireChannel(channel);
        long since = Http.sequence(Http.parameter(req, "since"), "since", -1);
        if (!halley.channelPolicy().maySubscribe(null, channel)) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "not allowed to subscribe to channel '" + channel + "'");
        }
        ScriptChunks chunks = ScriptChunks.of(callback, settings.nonceFor(req), PLAY_PADDING);
        if (!req.isAsyncSupported()) {
            throw new IllegalStateException("CometServlet must be registered with asyncSupported=true");
        }
        if (!registry.reserve()) {
            registry.probeAtLimit(); // reset connections among the held ones fail and free their slots
            resp.setHeader("Retry-After", "5");
            Http.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "too many held connections (maxHeldConnections " + settings.maxHeldConnections() + ")");
            return;
        }
        AsyncContext async;
        try {
            async = req.startAsync(req, resp);
        } catch (RuntimeException e) {
            registry.unreserve();
            throw e;
        }
        ChannelPublisher publisher = new ChannelPublisher(halley, channel, since, settings.channelStreamBuffer(), writers);
        Stream held = new Stream(async, publisher);
        registry.add(held);
        halley.metrics().transport("comet").streamOpened();
        async.addListener(held);
        Http.streamBuffer(resp, settings.streamResponseBuffer());
        ScriptStreamWriter<JsonElement> writer = ScriptStreamWriter.start(req, resp, publisher,
                j -> Http.GSON.toJson(java.util.Objects.requireNonNull(j, "null element")), chunks, BATCH, writers);
        if (writer == null) {
            held.release();
            return;
        }
        held.writer = writer;
        long hb = settings.heartbeat().toNanos();
        try {
            held.beat(timer.scheduleAtFixedRate(() -> held.heartbeat(writer), hb, hb, TimeUnit.NANOSECONDS));
        } catch (RuntimeException e) { // the timer stopped: the servlet is stopping
            publisher.shutdown();
        }
    }

    /** One held {@code /comet} stream: its registry slot, heartbeat timer and publisher. */
    private final class Stream implements Held, AsyncListener {
        private final AsyncContext async;
        private final ChannelPublisher publisher;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile ScheduledFuture<?> heartbeat;
        private volatile ScriptStreamWriter<JsonElement> writer;

        Stream(AsyncContext async, ChannelPublisher publisher) {
            this.async = async;
            this.publisher = publisher;
        }

        void beat(ScheduledFuture<?> f) {
            heartbeat = f;
            if (released.get()) f.cancel(false);
        }

        void heartbeat(ScriptStreamWriter<JsonElement> writer) {
            writer.heartbeat(); // written on a writer thread; a stream that ended ignores it
        }

        /** The servlet's probe sweep: a newline when the stream was quiet, so that a reset client is noticed. */
        @Override
        public void probeDue(long quietNanos) {
            ScriptStreamWriter<JsonElement> w = writer;
            if (w != null && !released.get() && w.quietFor(quietNanos)) w.heartbeat();
        }

        @Override
        public void shutdown() {
            publisher.shutdown();
        }

        /** Frees the slot, stops the heartbeat and removes the listener; once. */
        void release() {
            if (!released.compareAndSet(false, true)) return;
            halley.metrics().transport("comet").streamClosed();
            ScheduledFuture<?> f = heartbeat;
            if (f != null) f.cancel(false);
            publisher.shutdown();
            registry.remove(this);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            release();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release();
        }

        @Override
        public void onError(AsyncEvent event) {
            release();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
