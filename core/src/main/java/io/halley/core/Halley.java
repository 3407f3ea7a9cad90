package io.halley.core;

import com.google.gson.JsonElement;
import io.halley.core.comet.Scope;
import io.halley.core.command.Command;
import io.halley.core.internal.ActionRouter;
import io.halley.core.internal.ChannelRegistry;
import io.halley.core.internal.CometExecutor;
import io.halley.core.internal.FanOutThreads;
import io.halley.core.internal.Ids;
import io.halley.core.internal.Json;
import io.halley.core.internal.PoolRegistry;
import io.halley.core.metrics.HalleyMetrics;
import io.halley.core.spi.ChannelHistory;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubMessage;
import io.halley.core.spi.InMemoryChannelHistory;
import io.halley.core.spi.InMemoryHub;
import io.halley.core.spi.InMemoryQueue;
import io.halley.core.spi.Queue;
import io.halley.core.internal.UserPush;
import io.halley.core.user.CallerActionHandler;
import io.halley.core.user.UserWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Halley runtime of one web application: pages, pools, channels, actions, the hub and the
 * queue, and the threads that run comet functions. Built with {@link #builder()}, then
 * {@link #start()}ed; {@link #close()} cancels every function and frees every page.
 *
 * <p>Thread-safe. Methods never block on the network; {@link #close()} waits a bounded time for
 * functions to end.
 */
public final class Halley implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Halley.class);
    /** The hub topic of commands for pages on other nodes ({@link HubMessage.PageCommands}). */
    static final String PAGES_TOPIC = "halley.pages";

    private enum State { NEW, RUNNING, CLOSED }

    private final HalleyConfig config;
    private final Hub hub;
    private final Queue queue;
    private final PageRegistry pages;
    private final PoolRegistry pools;
    private final ChannelRegistry channels;
    private final List<PageListener> pageListeners = new CopyOnWriteArrayList<>();
    private final ActionRouter actions;
    private final CallbackRegistry callbacks;
    private final HalleyMetrics metrics;
    private final boolean jmx;
    private volatile AutoCloseable mbean;
    private final ChannelPolicy channelPolicy;
    private final boolean consumeActions;
    private final ScheduledThreadPoolExecutor scheduler;
    private final List<Thread> schedulerThreads = new CopyOnWriteArrayList<>();
    private final AutoCloseable pagesSubscription;
    private final UserPush users;
    private volatile CometExecutor executor;
    private final Page.Host host = new Host();
    private volatile State state = State.NEW;

    private Halley(Builder b) {
        this.config = b.toConfig();
        this.hub = b.hub != null ? b.hub : new InMemoryHub();
        this.queue = b.queue != null ? b.queue : new InMemoryQueue();
        this.pages = new PageRegistry(config);
        this.pools = new PoolRegistry(hub, config.nodeId());
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "halley-scheduler");
            t.setDaemon(true);
            schedulerThreads.add(t);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        FanOutThreads fanOut = new FanOutThreads(config.fanOutThreads(), config.nodeId());
        this.metrics = new HalleyMetrics(config.nodeId(), pages::size, fanOut::queued);
        fanOut.recordRoundsTo(metrics);
        hub.recordTo(metrics.hub());
        this.callbacks = new CallbackRegistry(metrics.callbacks());
        this.jmx = b.jmx;
        this.channels = new ChannelRegistry(hub, b.history != null ? b.history
                : new InMemoryChannelHistory(config.channelHistory()), config.maxMessageBytes(), scheduler, fanOut);
        this.pagesSubscription = hub.subscribe(PAGES_TOPIC, this::onPageDelivery);
        this.users = new UserPush(hub, config.nodeId(), pools, pages::ofUser, g -> resyncAll(g, p -> !p.user().isAnonymous()));
        this.actions = new ActionRouter(this::deliver, queue, config.maxMessageBytes(), metrics.actions());
        this.channelPolicy = b.channelPolicy;
        this.consumeActions = b.consumeActions;
    }

    /** A builder with the documented defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the executor and the queue consumer. Idempotent.
     *
     * @throws IllegalStateException after {@link #close()}, or for {@link ExecutorMode#VIRTUAL} on Java 17
     */
    public synchronized Halley start() {
        if (state == State.CLOSED) throw new IllegalStateException("Halley is closed");
        if (state == State.RUNNING) return this;
        executor = new CometExecutor(config.executor(), config.maxCometThreads());
        if (consumeActions) {
            queue.consume((a, done) -> executor.execute(() -> {
                try {
                    actions.run(a);
                } finally {
                    done.run();
                }
            }));
        }
        state = State.RUNNING;
        if (jmx) mbean = metrics.registerMBean();
        LOG.info("Halley started (node {}, {} threads)", config.nodeId(), executor.isVirtual() ? "virtual" : "platform");
        return this;
    }

    public HalleyConfig config() {
        return config;
    }

    /**
     * This runtime's meters (live pages, held streams, frames, resyncs, callbacks, the hub …; see
     * {@code docs/metrics.md}), readable from any thread at any time, also after {@link #close()}.
     */
    public HalleyMetrics metrics() {
        return metrics;
    }

    /**
     * The hub's health ({@link Hub#health()}): whether it reaches its backend. May wait about a
     * second for a distributed hub's answer; never throws.
     */
    public io.halley.core.spi.HubHealth hubHealth() {
        try {
            return hub.health();
        } catch (RuntimeException e) {
            return io.halley.core.spi.HubHealth.down("health check failed: " + e.getClass().getSimpleName());
        }
    }

    /** Whether comet functions run on virtual threads. */
    public boolean usesVirtualThreads() {
        return running().executor.isVirtual();
    }

    // ---- pages -----------------------------------------------------------------------------

    /**
     * Opens a page of the anonymous user for {@code sessionId}; see {@link #open(String, User)}.
     *
     * @throws HalleyException LIMIT past {@code maxPagesPerSession}
     */
    public Page open(String sessionId) {
        return open(sessionId, User.anonymous());
    }

    /**
     * Opens a page for {@code sessionId} belonging to {@code user} (fixed for the page's life, see
     * {@link Page#user()}) and runs the page-opened listeners.
     *
     * @throws HalleyException LIMIT past {@code maxPagesPerSession}
     */
    public Page open(String sessionId, User user) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(user, "user");
        running();
        Page page = pages.open(host, sessionId, user);
        page.startLease();
        for (PageListener l : pageListeners) {
            try {
                l.opened(page);
            } catch (RuntimeException e) {
                LOG.warn("page-opened listener failed", e);
            }
        }
        return page;
    }

    /**
     * The live page {@code pageId} owned by {@code sessionId}.
     *
     * @throws HalleyException BAD_INPUT (malformed id), NOT_FOUND, GONE or FORBIDDEN (another session)
     */
    public Page page(String pageId, String sessionId) {
        return pages.lookup(pageId, sessionId);
    }

    /** The live pages of a session. */
    public List<Page> pagesOf(String sessionId) {
        return pages.ofSession(sessionId);
    }

    /** The live pages on this node of the user named {@code name} (empty for null). */
    public List<Page> pagesOfUser(String name) {
        return pages.ofUser(name);
    }

    // ---- users -----------------------------------------------------------------------------

    /**
     * A writer to every open page of the user named {@code name}, on every node (through the hub),
     * and to their comet functions ({@link UserWriter#send}); nobody else's pages get it.
     *
     * @throws IllegalArgumentException for a blank or over-long name
     */
    public UserWriter user(String name) {
        return users.writer(name);
    }

    /**
     * Ends every page of the user named {@code name} on every node at once: each first gets the
     * event {@code halley:loggedout} ({@code {"user":name}}), then closes (its functions stop, its
     * stream ends and its next request gets 410, on which {@code halley.js} opens a new page as
     * whoever the browser is now). Call it when the user logs out everywhere, or is locked out.
     * Never blocks on the network.
     *
     * @throws IllegalArgumentException for a blank or over-long name
     */
    public void userLoggedOut(String name) {
        users.loggedOut(name);
    }

    /** Every live page. */
    public Collection<Page> pages() {
        return pages.all();
    }

    /** Closes every page of a session (call it when the HTTP session ends). */
    public void sessionEnded(String sessionId) {
        for (Page p : pages.ofSession(sessionId)) p.close();
    }

    public void addPageListener(PageListener listener) {
        pageListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removePageListener(PageListener listener) {
        pageListeners.remove(listener);
    }

    /** What pages need of the runtime (see {@link Page.Host}); the pages never see {@code Halley}. */
    private final class Host implements Page.Host {
        @Override
        public HalleyConfig config() {
            return config;
        }

        @Override
        public PoolRegistry pools() {
            return pools;
        }

        @Override
        public ChannelRegistry channels() {
            return channels;
        }

        @Override
        public CometExecutor executor() {
            return running().executor;
        }

        @Override
        public ScheduledExecutorService scheduler() {
            return scheduler;
        }

        @Override
        public void pageDying(Page page) {
            pages.remove(page);
        }

        @Override
        public void pageClosed(Page page) {
            for (PageListener l : pageListeners) {
                try {
                    l.closed(page);
                } catch (RuntimeException e) {
                    LOG.warn("page-closed listener failed", e);
                }
            }
        }

        @Override
        public Halley runtime() {
            return Halley.this;
        }
    }

    /**
     * Ships commands as one frame to page {@code pageId}, on whichever node holds it (through the
     * hub when not here). Unknown pages drop the frame.
     */
    public void deliver(String pageId, List<? extends Command> commands) {
        Page p = pages.find(pageId);
        if (p != null) {
            p.flush(commands);
        } else {
            hub.publish(PAGES_TOPIC, new HubMessage.PageCommands(pageId, Json.encodeCommands(commands), config.nodeId()));
        }
    }

    private void onPageDelivery(HubMessage payload) {
        if (payload instanceof HubMessage.TopicGap g) {
            resyncAll(g, p -> true);
            return;
        }
        if (!(payload instanceof HubMessage.PageCommands d)) return;
        if (config.nodeId().equals(d.origin())) return;
        Page p = pages.find(d.pageId());
        if (p == null) return;
        String cmds = d.commandsJson();
        if (cmds.indexOf('\n') >= 0 || cmds.indexOf('\r') >= 0) { // never from our encoder: a foreign writer
            LOG.warn("dropped commands for page {} from node {}: raw line break in the encoded commands", p, d.origin());
            return;
        }
        p.flushEncoded(Json.utf8(cmds));
    }

    /**
     * Messages of {@code g.topic()} were lost between nodes and which pages they were for is not
     * known: every page here that may have missed some gets a {@code resync} frame (its client
     * reloads its state), never silence.
     */
    private void resyncAll(HubMessage.TopicGap g, java.util.function.Predicate<Page> mayHaveMissed) {
        List<Page> all = new ArrayList<>();
        for (Page p : pages.all()) if (mayHaveMissed.test(p)) all.add(p);
        LOG.warn("messages of {} were lost between nodes ({}); {} pages of this node get resync", g.topic(),
                g.lost() < 0 ? "how many is unknown" : g.lost() + " of them", all.size());
        for (Page p : all) {
            try {
                p.flush(List.of(new Command.Resync(0)));
            } catch (RuntimeException e) {
                LOG.debug("resync of a page failed", e);
            }
        }
    }

    // ---- pools -----------------------------------------------------------------------------

    /** Sends to every member of the GLOBAL pool {@code pool}, from outside any function. */
    public void sendGlobal(String pool, Object message) {
        pools.send(new PoolRegistry.Key(Scope.GLOBAL, null, Names.requirePool(pool)), message);
    }

    /** Sends to every member of the LOCAL (session) pool {@code pool} of {@code sessionId}. */
    public void sendLocal(String sessionId, String pool, Object message) {
        pools.send(new PoolRegistry.Key(Scope.LOCAL, Objects.requireNonNull(sessionId, "sessionId"),
                Names.requirePool(pool)), message);
    }

    /** Members of a pool on this node (for tests and monitoring). */
    public int poolMembers(Scope scope, String owner, String pool) {
        return pools.memberCount(new PoolRegistry.Key(scope, scope == Scope.GLOBAL ? null : owner, pool));
    }

    // ---- channels --------------------------------------------------------------------------

    /**
     * Publishes {@code data} (converted to JSON with Gson) on {@code channel}: every subscribed
     * page gets a {@code message} command and every listener is called, on every node.
     *
     * @throws HalleyException BAD_INPUT for a bad channel name, TOO_LARGE past {@code maxMessageBytes}
     */
    public void publish(String channel, Object data) {
        channels.publish(channel, data);
    }

    /**
     * Publishes {@code messages} on {@code channel} as one batch, in order: each gets its own id
     * and history entry, and they travel the hub together, so every subscribed page on every node
     * receives the batch as one frame (one write) and listeners hear each message. Returns when
     * all are in the history and on the hub. Every message is checked first: one bad message
     * publishes none.
     *
     * @throws HalleyException BAD_INPUT for a bad channel name or an empty list, TOO_LARGE when a
     *         message passes {@code maxMessageBytes}
     */
    public void publishAll(String channel, List<?> messages) {
        channels.publishAll(channel, Objects.requireNonNull(messages, "messages"));
    }

    /** Adds a server-side listener; close the result to remove it. */
    public AutoCloseable listen(String channel, ChannelListener listener) {
        return channels.listen(channel, Objects.requireNonNull(listener, "listener"));
    }

    /** The channel's history on this node after message id {@code sinceId}. */
    public List<ChannelMessage> history(String channel, long sinceId) {
        return channels.history(Names.requireChannel(channel), sinceId);
    }

    /**
     * The newest message id of {@code channel} (0 when none): a subscriber whose {@code since}
     * lies above it belongs to an earlier numbering (a restart with an in-memory history, or a
     * shared history that lost its data). Called on any thread; reads the history, so on Redis it
     * blocks for a round trip and throws what {@link #history} throws.
     */
    public long newestId(String channel) {
        return channels.newestId(Names.requireChannel(channel));
    }

    /** Pages on this node subscribed to {@code channel}. */
    public int subscribers(String channel) {
        return channels.subscriberCount(channel);
    }

    // ---- callbacks, actions and the channel policy -----------------------------------------

    /** Registers a streamed callback under {@code name} (a dotted identifier), replacing any previous one. */
    public void register(String name, CallbackHandler handler) {
        callbacks.register(name, null, handler);
    }

    /**
     * Registers a streamed callback that only users with {@code role} (as captured when their
     * page opened) may call; others are refused with FORBIDDEN (403) before it runs. The callback
     * sees its caller as {@link CallResponse#user()}.
     */
    public void register(String name, String role, CallbackHandler handler) {
        callbacks.register(name, Objects.requireNonNull(role, "role"), handler);
    }

    /**
     * Registers the exposed methods of {@code object} under their names (see {@link Callback}):
     * arguments are converted from JSON to the parameter types; an optional first parameter of
     * type {@link CallResponse} gets the response.
     *
     * @return the registered names
     * @throws IllegalArgumentException for two exposed methods of the same name or a bad name
     */
    public List<String> registerObject(Object object) {
        return callbacks.registerObject(object);
    }

    /**
     * Starts callback {@code name} for {@code page} with JSON {@code args}. Returns at once with
     * the call id; the callback's frames and its final {@code done}/{@code fail} reach the page.
     *
     * @param clientCallId the id the client chose (letters, digits, _ and -, up to 40), or null
     * @throws HalleyException NOT_FOUND (unknown name, nothing runs), BAD_INPUT (wrong arguments,
     *         nothing runs), LIMIT (no thread free)
     */
    public String call(Page page, String name, com.google.gson.JsonArray args, String clientCallId) {
        return callbacks.start(Objects.requireNonNull(page, "page"), name, args, clientCallId, executor());
    }

    /** The policy for what browsers may do with channels. */
    public ChannelPolicy channelPolicy() {
        return channelPolicy;
    }

    /** Registers a server action under {@code route}, replacing any previous one. */
    public void action(String route, ActionHandler handler) {
        actions.register(route, handler);
    }

    /**
     * Registers a server action that sees its caller's {@link User}, run only for callers with
     * {@code role} (null: anyone). A page whose user lacks it is refused with FORBIDDEN (403) before
     * anything is queued; a node that runs an action queued elsewhere checks the role again (from
     * the roles that travelled with it) and replies with the refusal.
     */
    public void action(String route, String role, CallerActionHandler handler) {
        actions.register(route, role, handler);
    }

    /**
     * Queues action {@code route} with {@code params}; the reply goes to page {@code pageId} as a
     * {@code reply} command for {@code requestId}. Any node consuming the queue may run it.
     *
     * @throws HalleyException TOO_LARGE past {@code maxMessageBytes}
     */
    public void request(String pageId, String requestId, String route, JsonElement params) {
        actions.request(pageId, requestId, route, params, User.anonymous());
    }

    /**
     * Queues action {@code route} for {@code page}'s user (its caller): the reply goes to the page
     * as a {@code reply} command for {@code requestId}.
     *
     * @throws HalleyException TOO_LARGE past {@code maxMessageBytes}, FORBIDDEN when the action
     *         requires a role the page's user lacks
     */
    public void request(Page page, String requestId, String route, JsonElement params) {
        actions.request(page.id(), requestId, route, params, page.user());
    }

    // ---- internals -----------------------------------------------------------------------

    /** The channels, for this package's tests. */
    ChannelRegistry channels() {
        return channels;
    }

    /** The pools, for this package's tests. */
    PoolRegistry pools() {
        return pools;
    }

    CometExecutor executor() {
        return running().executor;
    }

    private Halley running() {
        State s = state;
        if (s == State.RUNNING) return this;
        throw new IllegalStateException(s == State.NEW ? "Halley not started: call start()" : "Halley is closed");
    }

    /** Live pages on this node. */
    public int pageCount() {
        return pages.size();
    }

    /**
     * Closes every page (interrupting its functions, which send their dying messages), waits up to
     * 5 s for the functions to end, then stops the threads, the queue and the hub. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) return;
            state = State.CLOSED;
        }
        for (Page p : pages.all()) p.die();
        CometExecutor ex = executor;
        try {
            if (ex != null && !ex.shutdown(5000)) LOG.warn("some comet functions ignored interruption for 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        queue.close();
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
            // awaitTermination returns before the worker thread has exited: join it, so that a
            // container's leak check at undeploy sees no Halley thread
            for (Thread t : schedulerThreads) t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            pagesSubscription.close();
        } catch (Exception e) {
            LOG.debug("closing page subscription", e);
        }
        users.close();
        pools.close();
        channels.close();
        hub.close();
        closeMBean();
        LOG.info("Halley closed (node {})", config.nodeId());
    }

    private void closeMBean() {
        AutoCloseable m = mbean;
        if (m == null) return;
        try {
            m.close();
        } catch (Exception e) {
            LOG.debug("unregistering the MBean", e);
        }
    }

    /**
     * Builds a {@link Halley}. Not thread-safe. Each method sets the setting of its name declared
     * in {@link HalleyConfig} (type, default, valid values and meaning are declared there once, and
     * tabled in {@code docs/settings.md}); values are checked when {@link #build()} runs and a bad
     * one fails with {@link IllegalArgumentException} naming it and the value.
     */
    public static final class Builder {
        private Duration pageLease = HalleyConfig.PAGE_LEASE.defaultValue();
        private Duration goneMemory = HalleyConfig.GONE_MEMORY.defaultValue();
        private int replayFrames = HalleyConfig.REPLAY_FRAMES.defaultValue();
        private long replayBytes = HalleyConfig.REPLAY_BYTES.defaultValue();
        private int maxPagesPerSession = HalleyConfig.MAX_PAGES_PER_SESSION.defaultValue();
        private int maxFunctionsPerPage = HalleyConfig.MAX_FUNCTIONS_PER_PAGE.defaultValue();
        private int maxCometThreads = HalleyConfig.MAX_COMET_THREADS.defaultValue();
        private ExecutorMode executor = HalleyConfig.EXECUTOR.defaultValue();
        private int mailboxCapacity = HalleyConfig.MAILBOX_CAPACITY.defaultValue();
        private int channelHistory = HalleyConfig.CHANNEL_HISTORY.defaultValue();
        private int maxChannelsPerPage = HalleyConfig.MAX_CHANNELS_PER_PAGE.defaultValue();
        private int maxMessageBytes = HalleyConfig.MAX_MESSAGE_BYTES.defaultValue();
        private int fanOutThreads = HalleyConfig.FAN_OUT_THREADS.defaultValue();
        private String nodeId = HalleyConfig.NODE_ID.defaultValue();
        private Hub hub;
        private Queue queue;
        private ChannelHistory history;
        private ChannelPolicy channelPolicy = HalleyConfig.CHANNEL_POLICY.defaultValue();
        private boolean consumeActions = HalleyConfig.CONSUME_ACTIONS.defaultValue();
        private boolean jmx = HalleyConfig.JMX.defaultValue();

        private Builder() {
        }

        /** Sets {@link HalleyConfig#PAGE_LEASE}: a page with no transport attached for this long dies. */
        public Builder pageLease(Duration d) { this.pageLease = d; return this; }

        /** Sets {@link HalleyConfig#GONE_MEMORY}: how long a dead page's id answers 410 rather than 404. */
        public Builder goneMemory(Duration d) { this.goneMemory = d; return this; }

        /** Sets {@link HalleyConfig#REPLAY_FRAMES}: frames kept per page for resume. */
        public Builder replayFrames(int n) { this.replayFrames = n; return this; }

        /** Sets {@link HalleyConfig#REPLAY_BYTES}: bytes of frames kept per page for resume. */
        public Builder replayBytes(long n) { this.replayBytes = n; return this; }

        /** Sets {@link HalleyConfig#MAX_PAGES_PER_SESSION}: open pages per session. */
        public Builder maxPagesPerSession(int n) { this.maxPagesPerSession = n; return this; }

        /** Sets {@link HalleyConfig#MAX_FUNCTIONS_PER_PAGE}: comet functions running per page. */
        public Builder maxFunctionsPerPage(int n) { this.maxFunctionsPerPage = n; return this; }

        /** Sets {@link HalleyConfig#MAX_COMET_THREADS}: platform threads for functions. */
        public Builder maxCometThreads(int n) { this.maxCometThreads = n; return this; }

        /** Sets {@link HalleyConfig#EXECUTOR}: which threads run functions. */
        public Builder executor(ExecutorMode mode) { this.executor = mode; return this; }

        /** Sets {@link HalleyConfig#MAILBOX_CAPACITY}: pool messages waiting per function. */
        public Builder mailboxCapacity(int n) { this.mailboxCapacity = n; return this; }

        /** Sets {@link HalleyConfig#CHANNEL_HISTORY}: messages kept per channel for catch-up. */
        public Builder channelHistory(int n) { this.channelHistory = n; return this; }

        /** Sets {@link HalleyConfig#MAX_CHANNELS_PER_PAGE}: channel subscriptions per page. */
        public Builder maxChannelsPerPage(int n) { this.maxChannelsPerPage = n; return this; }

        /** Sets {@link HalleyConfig#MAX_MESSAGE_BYTES}: largest channel message or action parameters. */
        public Builder maxMessageBytes(int n) { this.maxMessageBytes = n; return this; }

        /** Sets {@link HalleyConfig#FAN_OUT_THREADS}: threads delivering channel messages to pages. */
        public Builder fanOutThreads(int n) { this.fanOutThreads = n; return this; }

        /** Sets {@link HalleyConfig#NODE_ID}: this node's id. */
        public Builder nodeId(String id) { this.nodeId = id; return this; }

        /** Sets {@link HalleyConfig#HUB} (null for a new {@link InMemoryHub}). The runtime closes it. */
        public Builder hub(Hub hub) { this.hub = hub; return this; }

        /**
         * Sets {@link HalleyConfig#HISTORY} (null for a new {@link InMemoryChannelHistory} of
         * {@code channelHistory} messages per channel). The runtime closes it.
         */
        public Builder history(ChannelHistory history) { this.history = history; return this; }

        /** Sets {@link HalleyConfig#QUEUE} (null for a new {@link InMemoryQueue}). The runtime closes it. */
        public Builder queue(Queue queue) { this.queue = queue; return this; }

        /** Sets {@link HalleyConfig#CHANNEL_POLICY}: what browsers may do with channels. */
        public Builder channelPolicy(ChannelPolicy policy) { this.channelPolicy = Objects.requireNonNull(policy, "policy"); return this; }

        /** Sets {@link HalleyConfig#CONSUME_ACTIONS}: whether this node runs server actions from the queue. */
        public Builder consumeActions(boolean consume) { this.consumeActions = consume; return this; }

        /** Sets {@link HalleyConfig#JMX}: whether the runtime registers its meters' MBean while it runs. */
        public Builder jmx(boolean register) { this.jmx = register; return this; }

        HalleyConfig toConfig() {
            return new HalleyConfig(pageLease, goneMemory, replayFrames, replayBytes, maxPagesPerSession,
                    maxFunctionsPerPage, maxCometThreads, executor, mailboxCapacity, channelHistory,
                    maxChannelsPerPage, maxMessageBytes, fanOutThreads, nodeId);
        }

        /** Builds a runtime (not yet started). */
        public Halley build() {
            return new Halley(this);
        }
    }
}
