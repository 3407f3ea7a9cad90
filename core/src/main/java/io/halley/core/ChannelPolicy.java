package io.halley.core;

import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Decides what browsers may do with channels (server code is never restricted). Immutable; the
 * {@link #defaults()} allow subscribing to any channel that is not reserved (names starting with
 * {@code halley.} or {@code _}) and deny publishing. A listen-only page
 * ({@link Page#isListenOnly()}) may never publish, whatever the policy says.
 *
 * <p>Called on request threads; predicates must be fast and thread-safe.
 */
public final class ChannelPolicy {
    private final BiPredicate<Page, String> subscribe;
    private final BiPredicate<Page, String> publish;

    private ChannelPolicy(BiPredicate<Page, String> subscribe, BiPredicate<Page, String> publish) {
        this.subscribe = subscribe;
        this.publish = publish;
    }

    /** Subscribe to non-reserved channels; publish nowhere. */
    public static ChannelPolicy defaults() {
        return new ChannelPolicy((p, c) -> !isReserved(c), (p, c) -> false);
    }

    /** True for names reserved to the server: {@code halley.*} and {@code _*}. */
    public static boolean isReserved(String channel) {
        return channel.startsWith("halley.") || channel.startsWith("_");
    }

    /** A copy whose subscribe rule is {@code rule}. */
    public ChannelPolicy subscribe(BiPredicate<Page, String> rule) {
        return new ChannelPolicy(Objects.requireNonNull(rule, "rule"), publish);
    }

    /** A copy whose publish rule is {@code rule} (listen-only pages stay refused). */
    public ChannelPolicy publish(BiPredicate<Page, String> rule) {
        return new ChannelPolicy(subscribe, Objects.requireNonNull(rule, "rule"));
    }

    /** A copy that lets clients publish to the non-reserved channels for which {@code channels} is true. */
    public ChannelPolicy allowPublish(java.util.function.Predicate<String> channels) {
        Objects.requireNonNull(channels, "channels");
        return publish((p, c) -> !isReserved(c) && channels.test(c));
    }

    /**
     * Whether {@code page} may subscribe to {@code channel}. {@code page} is null for a reader
     * with no page (a Play-style or nginx-push stream); the rules must accept that.
     */
    public boolean maySubscribe(Page page, String channel) {
        return subscribe.test(page, channel);
    }

    /** Whether {@code page} (null for a writer with no page) may publish to {@code channel}. */
    public boolean mayPublish(Page page, String channel) {
        return (page == null || !page.isListenOnly()) && publish.test(page, channel);
    }
}
