package io.halley.core;

import io.halley.core.comet.CometFunction;
import io.halley.core.comet.CometHandle;
import io.halley.core.comet.CometOptions;
import io.halley.core.comet.Member;
import io.halley.core.comet.Scope;
import io.halley.core.command.Command;
import io.halley.core.internal.ChannelRegistry;
import io.halley.core.internal.CometExecutor;
import io.halley.core.internal.Ids;
import io.halley.core.internal.Json;
import io.halley.core.internal.Outbox;
import io.halley.core.internal.PageAccess;
import io.halley.core.internal.PoolRegistry;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.FrameLog;
import io.halley.core.transport.PageStream;
import io.halley.core.user.PageAttribute;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open browser page instance (Nitrogen's "series"): an unguessable id bound to one session,
 * a token for state-changing requests, a log of the frames it was sent, its comet functions and
 * channel subscriptions, and a lease. Applications push to it ({@link #flush}, {@link #writer()},
 * {@link #comet}) and subscribe it to channels; transports attach to it through
 * {@link io.halley.core.transport.PageStreams}, not through this class.
 *
 * <p><b>Lease.</b> While a transport is attached ({@link PageStream}) the page lives. From the moment none is attached
 * (including right after opening), a lease of {@code pageLease} runs; when it ends the page dies:
 * its functions are interrupted (their dying messages and {@code Leave}s go out), its
 * subscriptions end, its outbox closes and the page-closed listeners run.
 *
 * <p>Thread-safe. No method blocks on the network.
 */
public final class Page {
    private static final AtomicLong MEMBER_IDS = new AtomicLong();

    static {
        PageAccess.install(new Access());
    }

    private final Host host;
    private final String id;
    private final byte[] tokenKey; // the runtime's: the token is derived, not stored
    private final String sessionId;
    private final User user;
    private final Outbox outbox;
    private volatile java.util.Map<PageAttribute<?>, Object> attributes; // made on first set
    // per-page memory counts (10,000s of idle pages): both made on first use, guarded by this
    private Set<CometTask> functions;              // null until the first function
    private String[] channels;                     // copy-on-write; null while there is none
    private volatile boolean alive = true;
    private volatile boolean listenOnly;
    // the lease, guarded by this: a timer, once scheduled, is not cancelled by an attach (see leaseExpired)
    private ScheduledFuture<?> leaseTimer;
    private long leaseFrom; // System.nanoTime() of the last startLease
    private boolean held;   // attached since the last startLease

    Page(Host host, String sessionId, User user, byte[] tokenKey) {
        this.host = host;
        this.id = Ids.random128();
        this.tokenKey = tokenKey;
        this.sessionId = sessionId;
        this.user = Objects.requireNonNull(user, "user");
        HalleyConfig c = host.config();
        this.outbox = new Outbox(c.replayFrames(), c.replayBytes());
    }

    /** The page id: 128 random bits, URL-safe. */
    public String id() {
        return id;
    }

    /** The token that state-changing requests for this page must carry. */
    public String token() {
        return Ids.token(tokenKey, id);
    }

    /** The HTTP session that owns the page. */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Who opened the page, with the roles asked about captured then; {@link User#anonymous()} when
     * nobody was logged in. Fixed for the page's life: when the session's user changes, the servlet
     * refuses the page (410) and the client opens a new one.
     */
    public User user() {
        return user;
    }

    /** The application's value stored under {@code key}, if any. */
    public <T> java.util.Optional<T> get(PageAttribute<T> key) {
        java.util.Map<PageAttribute<?>, Object> a = attributes;
        return a == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(key.cast(a.get(key)));
    }

    /**
     * Stores {@code value} under {@code key} for the page's life (null removes it). Thread-safe;
     * the values are the application's, never sent anywhere.
     */
    public <T> void set(PageAttribute<T> key, T value) {
        Objects.requireNonNull(key, "key");
        java.util.Map<PageAttribute<?>, Object> a = attributes;
        if (a == null) {
            if (value == null) return;
            synchronized (this) {
                a = attributes;
                if (a == null) attributes = a = new java.util.concurrent.ConcurrentHashMap<>(4);
            }
        }
        if (value == null) a.remove(key);
        else a.put(key, key.cast(value));
    }

    public boolean isAlive() {
        return alive;
    }

    /** Whether this page is a listen-only client (Jii): it may subscribe, never publish. */
    public boolean isListenOnly() {
        return listenOnly;
    }

    /** Marks this page listen-only (or not). */
    public void listenOnly(boolean value) {
        this.listenOnly = value;
    }

    /** Constant-time check of a presented token. */
    public boolean checkToken(String presented) {
        if (presented == null) return false;
        return MessageDigest.isEqual(token().getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts {@code fn} in this page's PAGE pool {@code default}. */
    public CometHandle comet(CometFunction fn) {
        return comet(fn, "default");
    }

    /** Starts {@code fn} in this page's PAGE pool {@code pool}. */
    public CometHandle comet(CometFunction fn, String pool) {
        return comet(fn, CometOptions.builder().pool(pool).scope(Scope.PAGE).build());
    }

    /** Starts {@code fn} in the GLOBAL pool {@code pool}. */
    public CometHandle cometGlobal(CometFunction fn, String pool) {
        return comet(fn, CometOptions.builder().pool(pool).scope(Scope.GLOBAL).build());
    }

    /**
     * Starts {@code fn} as {@code options} say. Returns once the function is a member of its pool
     * (so a message sent right after reaches it) and its thread has been started.
     *
     * @throws HalleyException GONE if the page died; LIMIT past {@code maxFunctionsPerPage} or
     *         when no platform thread is free
     */
    public CometHandle comet(CometFunction fn, CometOptions options) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(options, "options");
        requireAlive();
        // unique across nodes: member ids travel in Join/Leave through a distributed hub
        Member member = new Member(host.config().nodeId() + "-m" + MEMBER_IDS.incrementAndGet());
        PoolRegistry.Key key = poolKey(options, member);
        CometTask task = new CometTask(host, this, fn, options, key, member, host.config().mailboxCapacity());
        synchronized (this) {
            requireAlive();
            if (functions == null) functions = new java.util.HashSet<>(4);
            if (functions.size() >= host.config().maxFunctionsPerPage()) {
                throw new HalleyException(HalleyException.Kind.LIMIT, "page already runs "
                        + functions.size() + " comet functions (maxFunctionsPerPage)");
            }
            functions.add(task);
        }
        host.pools().join(key, task);
        if (!options.reconnectActions().isEmpty()) {
            flush(List.of(new Command.OnReconnect(options.reconnectActions())));
        }
        try {
            host.executor().execute(task);
        } catch (HalleyException e) {
            task.end();
            throw e;
        }
        if (!alive) task.cancel();
        return new Handle(task);
    }

    private PoolRegistry.Key poolKey(CometOptions o, Member m) {
        if (o.pool() == null) return new PoolRegistry.Key(Scope.PAGE, id, "~" + m.id());
        switch (o.scope()) {
            case PAGE: return new PoolRegistry.Key(Scope.PAGE, id, o.pool());
            case LOCAL: return new PoolRegistry.Key(Scope.LOCAL, sessionId, o.pool());
            default: return new PoolRegistry.Key(Scope.GLOBAL, null, o.pool());
        }
    }

    /** Sends {@code message} to every member of this page's PAGE pool {@code pool}. */
    public void send(String pool, Object message) {
        host.pools().send(new PoolRegistry.Key(Scope.PAGE, id, Names.requirePool(pool)), message);
    }

    /** A writer to push commands to this page from any thread. */
    public PageWriter writer() {
        return new PageWriter(this);
    }

    /**
     * Ships {@code commands} as one frame.
     *
     * @return the frame's sequence, or -1 if the page died (nothing is sent)
     * @throws HalleyException TOO_LARGE if the frame exceeds the replay buffer
     */
    public long flush(List<? extends Command> commands) {
        if (!alive || commands.isEmpty()) return alive ? 0 : -1;
        return outbox.append(Json.utf8(Json.encodeCommands(commands)));
    }

    /** Appends an already encoded UTF-8 command array (shared across pages, never modified). */
    long flushEncoded(byte[] commandsUtf8) {
        return alive ? outbox.append(commandsUtf8) : -1;
    }

    /** Attaches a transport; see {@link io.halley.core.transport.PageStreams#attach}. */
    PageStream attach(FrameConsumer consumer) {
        requireAlive();
        synchronized (this) {
            held = true; // the lease timer, if one runs, is left to fire and find the page held
        }
        return outbox.attach(consumer, this::startLease);
    }

    /**
     * The lease starts (on opening, and when the last transport detaches): from now, the page dies
     * after {@code pageLease} unless a transport attaches. A timer runs only if none is already
     * scheduled; a long-poll's attach and detach several times a second thus cost no timer task.
     */
    synchronized void startLease() {
        if (!alive) return;
        held = false;
        leaseFrom = System.nanoTime();
        if (leaseTimer == null) scheduleLease(host.config().pageLease().toNanos());
    }

    private void scheduleLease(long nanos) { // guarded by this
        leaseTimer = host.scheduler().schedule(this::leaseExpired, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The lease timer fired (the scheduler's thread). Held (attached since the lease started, or
     * attached now): no timer until the next detach. Else the page dies if a whole lease passed
     * since the last detach; if a detach came later, the timer is set for what remains.
     */
    private void leaseExpired() {
        synchronized (this) {
            leaseTimer = null;
            if (!alive || held || outbox.isAttached()) return;
            long left = leaseFrom + host.config().pageLease().toNanos() - System.nanoTime();
            if (left > 0) {
                scheduleLease(left);
                return;
            }
        }
        die();
    }

    /**
     * Subscribes this page to {@code channel}; its messages arrive as {@code message} commands.
     * Messages in the channel's history with an id above {@code sinceId} are delivered at once as
     * one frame (pass -1 for none, 0 for the whole history).
     *
     * @throws HalleyException BAD_INPUT for a bad name, LIMIT past {@code maxChannelsPerPage}
     */
    public void subscribe(String channel, long sinceId) {
        Names.requireChannel(channel);
        requireAlive();
        synchronized (this) {
            int n = channels == null ? 0 : channels.length;
            if (indexOf(channel) < 0) {
                if (n >= host.config().maxChannelsPerPage()) {
                    throw new HalleyException(HalleyException.Kind.LIMIT, "page is subscribed to "
                            + n + " channels (maxChannelsPerPage)");
                }
                channels = n == 0 ? new String[] {channel} : java.util.Arrays.copyOf(channels, n + 1);
                channels[n] = channel;
            }
        }
        host.channels().subscribe(this, channel, sinceId);
    }

    /** Subscribes to new messages of {@code channel} only. */
    public void subscribe(String channel) {
        subscribe(channel, -1);
    }

    /** Ends the subscription; a no-op if there was none. */
    public void unsubscribe(String channel) {
        boolean was;
        synchronized (this) {
            int at = indexOf(channel);
            was = at >= 0;
            if (was) {
                String[] fewer = new String[channels.length - 1];
                System.arraycopy(channels, 0, fewer, 0, at);
                System.arraycopy(channels, at + 1, fewer, at, fewer.length - at);
                channels = fewer.length == 0 ? null : fewer;
            }
        }
        if (was) host.channels().unsubscribe(this, channel);
    }

    /** The channels this page is subscribed to (a snapshot). */
    public synchronized Set<String> channels() {
        return channels == null ? Set.of() : Set.of(channels);
    }

    /** Where {@code channel} is in {@link #channels}, or -1. Under this monitor. */
    private int indexOf(String channel) {
        if (channels == null) return -1;
        for (int i = 0; i < channels.length; i++) if (channels[i].equals(channel)) return i;
        return -1;
    }

    /** Running comet functions. */
    public synchronized int functionCount() {
        return functions == null ? 0 : functions.size();
    }

    synchronized void functionEnded(CometTask task) {
        if (functions != null) functions.remove(task);
    }

    /** Closes the page now, as if its lease expired. Idempotent. */
    public void close() {
        die();
    }

    void die() {
        synchronized (this) {
            if (!alive) return;
            alive = false;
            if (leaseTimer != null) {
                leaseTimer.cancel(false);
                leaseTimer = null;
            }
        }
        host.pageDying(this);
        List<String> subscribed;
        List<CometTask> running;
        synchronized (this) {
            subscribed = channels == null ? List.of() : List.of(channels);
            channels = null;
            running = functions == null ? List.of() : new java.util.ArrayList<>(functions);
        }
        for (String ch : subscribed) host.channels().unsubscribe(this, ch);
        for (CometTask t : running) t.cancel();
        outbox.close();
        host.pageClosed(this);
    }

    /** Functions still running (a snapshot), for the runtime's close. */
    synchronized Set<CometTask> functions() {
        return functions == null ? Set.of() : Set.copyOf(functions);
    }

    private void requireAlive() {
        if (!alive) throw new HalleyException(HalleyException.Kind.GONE, "page is gone");
    }

    @Override
    public String toString() {
        return "Page[" + id.substring(0, 4) + "…]"; // never the whole id in logs
    }

    /**
     * What a {@link Page} (and the comet functions it starts) needs from its runtime, and no more: the
     * pools and channels it joins, the threads it runs on, the settings it obeys and the two moments it
     * reports. {@link Halley} implements it with a private object (it was {@code PageHost}); a page never sees the runtime.
     * Every method is cheap, never blocks and may be called from any thread.
     */
    interface Host {

        /** The settings: {@code replayFrames}, {@code replayBytes}, {@code pageLease}, the per-page limits, {@code nodeId}. */
        HalleyConfig config();

        /** The pools functions join. */
        PoolRegistry pools();

        /** The channels pages subscribe to. */
        ChannelRegistry channels();

        /**
         * The executor functions run on.
         *
         * @throws IllegalStateException when the runtime is not started or is closed
         */
        CometExecutor executor();

        /** The timer of page leases. */
        ScheduledExecutorService scheduler();

        /** Called once when {@code page} starts dying, before its functions and subscriptions end: forget it. */
        void pageDying(Page page);

        /** Called once when {@code page} has died (functions cancelled, outbox closed): tell the listeners. */
        void pageClosed(Page page);

        /** The runtime itself, only to hand to comet functions as {@code Comet.halley()}; pages never call it. */
        Halley runtime();
    }

    /** The transport SPI's and the channel fan-out's way in (see {@link PageAccess}). */
    private static final class Access extends PageAccess {
        @Override
        public PageStream attach(Page page, FrameConsumer consumer) {
            return page.attach(Objects.requireNonNull(consumer, "consumer"));
        }

        @Override
        public FrameLog frames(Page page) {
            return page.outbox;
        }

        @Override
        public Outbox outbox(Page page) {
            return page.outbox;
        }

        @Override
        public long flushEncoded(Page page, byte[] commandsUtf8) {
            return page.flushEncoded(commandsUtf8);
        }
    }

    private static final class Handle implements CometHandle {
        private final CometTask task;

        Handle(CometTask task) {
            this.task = task;
        }

        @Override
        public Member member() {
            return task.member();
        }

        @Override
        public void cancel() {
            task.cancel();
        }

        @Override
        public boolean isDone() {
            return task.isFinished();
        }
    }
}
