package io.halley.core;

import io.halley.core.user.ChannelMatch;
import io.halley.core.user.ChannelPattern;
import io.halley.core.user.ChannelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Decides what browsers may do with channels (server code is never restricted). Immutable; each
 * method returns a changed copy. A request is judged in this order:
 *
 * <ol>
 *   <li>a reserved name ({@code halley.*} or {@code _*}) is refused, whatever rule the
 *   application wrote; so is publishing from a listen-only page ({@link Page#isListenOnly()});</li>
 *   <li>the pattern rules ({@link #subscribe(String, ChannelRule)},
 *   {@link #publish(String, ChannelRule)}), in the order they were added: the first whose pattern
 *   matches decides, with the page's {@link Page#user() user}, roles and attributes at hand (a
 *   reader without a page is refused);</li>
 *   <li>otherwise the base rule ({@link #subscribe(BiPredicate)}, {@link #publish(BiPredicate)}):
 *   by default, subscribe allowed and publish refused.</li>
 * </ol>
 *
 * <pre>{@code
 * ChannelPolicy.defaults()
 *     .subscribe("user.{name}", ChannelRule.userIs("name"))       // only Alice reads user.alice
 *     .publish("announcements", ChannelRule.hasRole("admin"));    // only admins announce
 * }</pre>
 *
 * <p>Called on request threads; rules must be fast and thread-safe.
 */
public final class ChannelPolicy {
    private final BiPredicate<Page, String> subscribe;
    private final BiPredicate<Page, String> publish;
    private final List<Entry> subscribeRules;
    private final List<Entry> publishRules;

    private record Entry(ChannelPattern pattern, ChannelRule rule) {
    }

    private ChannelPolicy(BiPredicate<Page, String> subscribe, BiPredicate<Page, String> publish,
                          List<Entry> subscribeRules, List<Entry> publishRules) {
        this.subscribe = subscribe;
        this.publish = publish;
        this.subscribeRules = subscribeRules;
        this.publishRules = publishRules;
    }

    /** Subscribe to non-reserved channels; publish nowhere. */
    public static ChannelPolicy defaults() {
        return new ChannelPolicy((p, c) -> true, (p, c) -> false, List.of(), List.of());
    }

    /** True for names reserved to the server: {@code halley.*} and {@code _*}. */
    public static boolean isReserved(String channel) {
        return channel.startsWith("halley.") || channel.startsWith("_");
    }

    /** A copy whose base subscribe rule is {@code rule} (reserved names stay refused). */
    public ChannelPolicy subscribe(BiPredicate<Page, String> rule) {
        return new ChannelPolicy(Objects.requireNonNull(rule, "rule"), publish, subscribeRules, publishRules);
    }

    /** A copy whose base publish rule is {@code rule} (reserved names and listen-only pages stay refused). */
    public ChannelPolicy publish(BiPredicate<Page, String> rule) {
        return new ChannelPolicy(subscribe, Objects.requireNonNull(rule, "rule"), subscribeRules, publishRules);
    }

    /**
     * A copy that judges subscriptions to the channels matching {@code pattern} (placeholders such
     * as {@code user.{name}}, see {@link ChannelPattern}) with {@code rule}, after the pattern
     * rules added before it.
     *
     * @throws IllegalArgumentException for a malformed pattern
     */
    public ChannelPolicy subscribe(String pattern, ChannelRule rule) {
        return new ChannelPolicy(subscribe, publish, plus(subscribeRules, pattern, rule), publishRules);
    }

    /** As {@link #subscribe(String, ChannelRule)}, for publishing. */
    public ChannelPolicy publish(String pattern, ChannelRule rule) {
        return new ChannelPolicy(subscribe, publish, subscribeRules, plus(publishRules, pattern, rule));
    }

    /** A copy that lets clients publish to the non-reserved channels for which {@code channels} is true. */
    public ChannelPolicy allowPublish(java.util.function.Predicate<String> channels) {
        Objects.requireNonNull(channels, "channels");
        return publish((p, c) -> channels.test(c));
    }

    /**
     * Whether {@code page} may subscribe to {@code channel}. {@code page} is null for a reader
     * with no page (a Play-style or nginx-push stream); the base rule must accept that.
     */
    public boolean maySubscribe(Page page, String channel) {
        return decide(subscribeRules, subscribe, page, channel);
    }

    /** Whether {@code page} (null for a writer with no page) may publish to {@code channel}. */
    public boolean mayPublish(Page page, String channel) {
        return (page == null || !page.isListenOnly()) && decide(publishRules, publish, page, channel);
    }

    private static boolean decide(List<Entry> rules, BiPredicate<Page, String> base, Page page, String channel) {
        if (channel == null || isReserved(channel)) return false;
        for (Entry e : rules) {
            ChannelMatch m = e.pattern().match(channel);
            if (m != null) return page != null && e.rule().allows(page, m);
        }
        return base.test(page, channel);
    }

    private static List<Entry> plus(List<Entry> rules, String pattern, ChannelRule rule) {
        List<Entry> more = new ArrayList<>(rules);
        more.add(new Entry(ChannelPattern.of(pattern), Objects.requireNonNull(rule, "rule")));
        return List.copyOf(more);
    }
}
