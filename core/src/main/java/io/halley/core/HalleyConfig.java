package io.halley.core;

import io.halley.core.internal.FanOutThreads;
import io.halley.core.internal.Ids;
import io.halley.core.settings.Setting;
import io.halley.core.settings.SettingGroup;
import io.halley.core.settings.ValueType;
import io.halley.core.spi.ChannelHistory;
import io.halley.core.spi.Hub;
import io.halley.core.spi.Queue;
import java.time.Duration;

/**
 * The immutable settings of a {@link Halley} runtime, built with {@link Halley#builder()}.
 *
 * <p>Every setting of {@link Halley.Builder} is declared once below, with its name, type,
 * default, valid values and meaning ({@link #SETTINGS}, in the order of the table in
 * {@code docs/settings.md}, which is rendered from these declarations). The record holds the
 * settings the runtime reads as values; {@code hub}, {@code queue}, {@code history},
 * {@code channelPolicy} and {@code consumeActions} are declared here too but the runtime keeps
 * them itself. The compact constructor checks every value against its declaration and fails with
 * {@link IllegalArgumentException} naming the setting and the value.
 */
public record HalleyConfig(
        Duration pageLease,
        Duration goneMemory,
        int replayFrames,
        long replayBytes,
        int maxPagesPerSession,
        int maxFunctionsPerPage,
        int maxCometThreads,
        ExecutorMode executor,
        int mailboxCapacity,
        int channelHistory,
        int maxChannelsPerPage,
        int maxMessageBytes,
        int fanOutThreads,
        String nodeId) {

    /** The settings of {@link Halley.Builder}, in declaration order. */
    public static final SettingGroup<Halley.Builder> SETTINGS = SettingGroup.of("Runtime (`Halley.Builder`, `HalleyConfig`)",
            "Halley.builder()", "The runtime of one web application: pages, pools, channels, actions, and the threads "
            + "that run comet functions. In a web application without code, the `CometServlet` init-params of the "
            + "same names set them; they are ignored (with a warning) when the application put its own `Halley` in "
            + "the `ServletContext`.");

    private static final String POSITIVE = "a positive duration";

    public static final Setting<Halley.Builder, Duration> PAGE_LEASE = SETTINGS.define("pageLease", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(20)).check(POSITIVE, HalleyConfig::positive)
            .meaning("a page with no transport attached for this long dies")
            .setter(Halley.Builder::pageLease).initParam().build();
    public static final Setting<Halley.Builder, Duration> GONE_MEMORY = SETTINGS.define("goneMemory", ValueType.DURATION)
            .defaultValue(Duration.ofMinutes(10)).check(POSITIVE, HalleyConfig::positive)
            .meaning("how long a dead page's id answers `GONE` (410) rather than `NOT_FOUND` (404)")
            .setter(Halley.Builder::goneMemory).initParam().build();
    public static final Setting<Halley.Builder, Integer> REPLAY_FRAMES = SETTINGS.define("replayFrames", ValueType.INT)
            .defaultValue(1000).check(">= 1", n -> n >= 1)
            .meaning("frames kept per page for resume; past it the oldest go, and a resume that needs them gets `resync`")
            .setter(Halley.Builder::replayFrames).initParam().build();
    public static final Setting<Halley.Builder, Long> REPLAY_BYTES = SETTINGS.define("replayBytes", ValueType.LONG_BYTES)
            .defaultValue(1L << 20).check(">= 1024", n -> n >= 1024)
            .meaning("bytes (UTF-8) of frames kept per page for resume; also the largest frame (a larger one fails with `TOO_LARGE`)")
            .setter(Halley.Builder::replayBytes).initParam().build();
    public static final Setting<Halley.Builder, Integer> MAX_PAGES_PER_SESSION = SETTINGS.define("maxPagesPerSession", ValueType.INT)
            .defaultValue(100).check(">= 1", n -> n >= 1)
            .meaning("open pages per session; past it `open` fails with `LIMIT` (429)")
            .setter(Halley.Builder::maxPagesPerSession).initParam().build();
    public static final Setting<Halley.Builder, Integer> MAX_FUNCTIONS_PER_PAGE = SETTINGS.define("maxFunctionsPerPage", ValueType.INT)
            .defaultValue(64).check(">= 1", n -> n >= 1)
            .meaning("comet functions running per page; past it `comet` fails with `LIMIT`")
            .setter(Halley.Builder::maxFunctionsPerPage).initParam().build();
    public static final Setting<Halley.Builder, Integer> MAX_COMET_THREADS = SETTINGS.define("maxCometThreads", ValueType.INT)
            .defaultValue(2000).check(">= 1", n -> n >= 1)
            .meaning("platform threads for functions, callbacks and actions (platform threads only); past it `comet` "
                    + "fails with `LIMIT` naming this setting")
            .setter(Halley.Builder::maxCometThreads).initParam().build();
    public static final Setting<Halley.Builder, ExecutorMode> EXECUTOR = SETTINGS.define("executor", ValueType.enumOf(ExecutorMode.class))
            .defaultValue(ExecutorMode.AUTO)
            .meaning("which threads run functions: `AUTO` (virtual threads on Java 21+, else platform), `VIRTUAL` "
                    + "(fails at `start()` on Java 17), `PLATFORM`")
            .setter(Halley.Builder::executor).initParam().build();
    public static final Setting<Halley.Builder, Integer> MAILBOX_CAPACITY = SETTINGS.define("mailboxCapacity", ValueType.INT)
            .defaultValue(100_000).check(">= 1", n -> n >= 1)
            .meaning("pool messages waiting per function; past it new messages to that member are dropped with a WARN log")
            .setter(Halley.Builder::mailboxCapacity).initParam().build();
    public static final Setting<Halley.Builder, Integer> CHANNEL_HISTORY = SETTINGS.define("channelHistory", ValueType.INT)
            .defaultValue(100).check(">= 0", n -> n >= 0)
            .meaning("messages kept per channel for catch-up by the default in-memory history (with "
                    + "`RedisChannelHistory`, its `historySize` applies instead)")
            .setter(Halley.Builder::channelHistory).initParam().build();
    public static final Setting<Halley.Builder, Integer> MAX_CHANNELS_PER_PAGE = SETTINGS.define("maxChannelsPerPage", ValueType.INT)
            .defaultValue(256).check(">= 1", n -> n >= 1)
            .meaning("channel subscriptions per page; past it `subscribe` fails with `LIMIT`")
            .setter(Halley.Builder::maxChannelsPerPage).initParam().build();
    public static final Setting<Halley.Builder, Integer> MAX_MESSAGE_BYTES = SETTINGS.define("maxMessageBytes", ValueType.INT)
            .defaultValue(64 * 1024).check(">= 16", n -> n >= 16)
            .meaning("largest channel message or action parameters, in JSON characters; past it `publish` / `request` "
                    + "fail with `TOO_LARGE`")
            .setter(Halley.Builder::maxMessageBytes).initParam().build();
    public static final Setting<Halley.Builder, Integer> FAN_OUT_THREADS = SETTINGS.define("fanOutThreads", ValueType.INT)
            .defaultValue(() -> Runtime.getRuntime().availableProcessors(), "the number of cores").check(">= 1", n -> n >= 1)
            .meaning("threads delivering channel messages to this node's pages; a fan-out to many pages is cut into "
                    + "at most this many parallel slices of at least " + FanOutThreads.MIN_SLICE + " pages")
            .setter(Halley.Builder::fanOutThreads).initParam().build();
    public static final Setting<Halley.Builder, String> NODE_ID = SETTINGS.define("nodeId", ValueType.STRING)
            .defaultValue(() -> Ids.random128().substring(0, 8), "8 random characters").check("non-blank", s -> !s.isBlank())
            .meaning("this node's id among the nodes of one system")
            .setter(Halley.Builder::nodeId).initParam().build();
    public static final Setting<Halley.Builder, Hub> HUB = SETTINGS.define("hub", ValueType.<Hub>code("Hub"))
            .noDefault("a new `InMemoryHub`")
            .meaning("carries frames, pool messages and channel messages between nodes (`RedisHub` for several); "
                    + "the runtime closes it")
            .setter(Halley.Builder::hub).build();
    public static final Setting<Halley.Builder, ChannelHistory> HISTORY = SETTINGS.define("history",
                    ValueType.<ChannelHistory>code("ChannelHistory"))
            .noDefault("a new `InMemoryChannelHistory` of `channelHistory` messages per channel")
            .meaning("channel message ids and catch-up (`RedisChannelHistory` for several nodes); the runtime closes it")
            .setter(Halley.Builder::history).build();
    public static final Setting<Halley.Builder, Queue> QUEUE = SETTINGS.define("queue", ValueType.<Queue>code("Queue"))
            .noDefault("a new `InMemoryQueue`")
            .meaning("the queue of server actions (`RedisQueue` for several nodes); the runtime closes it")
            .setter(Halley.Builder::queue).build();
    public static final Setting<Halley.Builder, ChannelPolicy> CHANNEL_POLICY = SETTINGS.define("channelPolicy",
                    ValueType.<ChannelPolicy>code("ChannelPolicy"))
            .defaultValue(ChannelPolicy::defaults, "`ChannelPolicy.defaults()`: subscribe to non-reserved channels, publish nowhere")
            .meaning("what browsers may do with channels; a refused request gets `FORBIDDEN` (403)")
            .setter(Halley.Builder::channelPolicy).build();
    public static final Setting<Halley.Builder, Boolean> CONSUME_ACTIONS = SETTINGS.define("consumeActions", ValueType.BOOLEAN)
            .defaultValue(true)
            .meaning("whether this node takes server actions from the queue and runs them; a web-only node of a "
                    + "cluster whose actions run elsewhere sets `false`")
            .setter(Halley.Builder::consumeActions).initParam().build();
    public static final Setting<Halley.Builder, Boolean> JMX = SETTINGS.define("jmx", ValueType.BOOLEAN)
            .defaultValue(true)
            .meaning("whether the runtime registers its meters as the MBean `io.halley:type=Halley,name=<nodeId>` "
                    + "while it runs ([metrics](metrics.md))")
            .setter(Halley.Builder::jmx).initParam().build();

    /** Checks every value against its declaration. */
    public HalleyConfig {
        PAGE_LEASE.check(pageLease);
        GONE_MEMORY.check(goneMemory);
        REPLAY_FRAMES.check(replayFrames);
        REPLAY_BYTES.check(replayBytes);
        MAX_PAGES_PER_SESSION.check(maxPagesPerSession);
        MAX_FUNCTIONS_PER_PAGE.check(maxFunctionsPerPage);
        MAX_COMET_THREADS.check(maxCometThreads);
        EXECUTOR.check(executor);
        MAILBOX_CAPACITY.check(mailboxCapacity);
        CHANNEL_HISTORY.check(channelHistory);
        MAX_CHANNELS_PER_PAGE.check(maxChannelsPerPage);
        MAX_MESSAGE_BYTES.check(maxMessageBytes);
        FAN_OUT_THREADS.check(fanOutThreads);
        NODE_ID.check(nodeId);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }
}
