package io.halley.servlet.internal.play;

import com.google.gson.JsonElement;
import io.halley.core.Halley;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link Flow.Publisher} of one channel's messages, each as {@code {"channel","id","data"}}:
 * the messages still in the channel's history after {@code since} (when {@code since >= 0}),
 * then every new one, from a {@link Halley#listen listener} registered before the history is
 * read (a message in both is sent once). Single subscriber. A {@code since} past the channel's
 * newest id belongs to an earlier numbering (a restart with an in-memory history, or a shared one
 * that lost its data): the first element is then
 * {@code {"channel","event":"channelrestart","since","last"}}, and the messages follow from the
 * new numbering's start, never silence.
 *
 * <p><b>Buffer.</b> Messages wait in a buffer of {@code capacity} until the subscriber asks for
 * them. The publishing thread only enqueues and never waits: when a slow subscriber lets the
 * buffer fill, the listener is removed, the messages already buffered are still delivered, and
 * then the stream completes (logged at DEBUG), so that the client resumes with {@code since} =
 * the last id it got and catches up from the history. Nothing is skipped silently: ids increase
 * by one per channel, so a client can always see a gap the history could no longer fill.
 *
 * <p><b>Threads.</b> {@code onNext} is never called on the publishing thread: a new message
 * schedules delivery on {@code executor} (the container's pool); {@code request} delivers on its
 * caller's thread. One thread delivers at a time (a trampoline: a {@code request} made inside
 * {@code onNext} only adds demand), so calls are serial and recursion is bounded. The listener
 * is removed on cancel, on completion and on {@link #shutdown()}.
 */
public final class ChannelPublisher implements Flow.Publisher<JsonElement> {
    private final Halley halley;
    private final String channel;
    private final long since;
    private final int capacity;
    private final Executor executor;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile ChannelSubscription sub;

    ChannelPublisher(Halley halley, String channel, long since, int capacity, Executor executor) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1: " + capacity);
        this.halley = Objects.requireNonNull(halley, "halley");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.since = since;
        this.capacity = capacity;
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public void subscribe(Flow.Subscriber<? super JsonElement> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override public void request(long n) { }
                @Override public void cancel() { }
            });
            subscriber.onError(new IllegalStateException("a channel publisher takes one subscriber"));
            return;
        }
        ChannelSubscription s = new ChannelSubscription(halley, channel, since, capacity, executor, subscriber);
        sub = s;
        subscriber.onSubscribe(s);
        s.start();
    }

    /** Ends the stream soon: drops what is buffered and completes (the client resumes with since). */
    void shutdown() {
        ChannelSubscription s = sub;
        if (s != null) s.end(true);
    }
}
