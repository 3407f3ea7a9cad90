package io.halley.core.internal;

import com.google.gson.JsonElement;
import io.halley.core.ChannelListener;
import io.halley.core.ChannelMessage;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.command.Command;
import io.halley.core.spi.HubMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel on this node: its subscribed pages, its server-side listeners and the delivery of
 * its messages to them. A documented state machine:
 *
 * <pre>
 *   IDLE --message--> ROUND --last slice done, nothing pending--> IDLE
 *                       ^  \--last slice done, messages pending--> ROUND (the next one)
 * </pre>
 *
 * <p><b>Arrival</b> ({@link #offer} from the hub's thread, {@link #deliver} from a catch-up, under
 * this monitor): a message whose id was delivered here lately is dropped (a catch-up and the live
 * copy meet); else it joins {@code pending}, and if no round runs one is started on the
 * {@link FanOutThreads}. The publisher's thread never walks the subscribers; a publisher on this
 * node waits before publishing while {@link #MAX_PENDING} messages are already queued
 * ({@link #awaitRoomToPublish}: backpressure instead of unbounded memory). The hub's thread never
 * waits, so one channel backing up never delays another: past {@link #MAX_QUEUED} (messages
 * published on other nodes faster than this node fans them out) the waiting messages are dropped
 * and the next round sends every subscribed page a {@code resync} first (the page's rule when its
 * replay buffer cannot cover a gap), never silence.
 *
 * <p><b>A round</b> takes every pending message, calls the listeners for each in order, encodes
 * each message once and joins them into groups of about {@link #GROUP_BYTES}, each group one
 * shared UTF-8 command array that becomes one frame on every subscribed page (messages published
 * faster than they are fanned out thereby coalesce: one frame, one wake-up and one write per page
 * for many messages). The subscribers are snapshotted and cut into up to
 * {@code fanOutThreads} slices of at least {@link #SLICE} pages that run in parallel; the thread
 * that ends the last slice starts the next round. Rounds never overlap, so every page sees the
 * channel's messages in one order.
 *
 * <p><b>Holes.</b> A channel's ids come from one counter without gaps, so a live message whose id
 * is past the next one expected means an earlier one is still on its way (two nodes published at
 * once) or was lost on the hub (its backend failed after the history took it). Such a message is
 * held, with the ones after it; one arriving that fills the hole releases them at once, in id
 * order; else, after {@link #HOLE_WAIT_MS}, the missing ones are read from the history on the
 * runtime's scheduler and everything is released in id order (retried while the history cannot be
 * read, for {@link #HOLE_PATIENCE_MS} at most; then released as is). So a page never sees a
 * channel's messages out of order, and a message the hub lost is not silently skipped.
 *
 * <p><b>Catch-up floors.</b> Each page maps to the highest id it already got from the history
 * when it subscribed (-1 for none); messages up to it are skipped for that page, encoded apart
 * when a group straddles the floor.
 */
final class Channel {
    private static final Logger LOG = LoggerFactory.getLogger(Channel.class);
    /** Recently delivered ids remembered, to deliver each message once (catch-up vs live). */
    static final int RECENT = 1024;
    /** Pages per parallel slice at least: below this a fan-out stays on one thread. */
    static final int SLICE = FanOutThreads.MIN_SLICE;
    /** Encoded messages joined into one frame up to about this many bytes (one message at least). */
    static final int GROUP_BYTES = 64 * 1024;
    /** Messages waiting for a round at most; past it an arriving message waits (backpressure). */
    static final int MAX_PENDING = 10_000;
    /** Messages from the hub waiting at most; past it they are dropped and the pages get resync. */
    static final int MAX_QUEUED = 2 * MAX_PENDING;
    /** How long an arriving message waits for room at most; then it is queued anyway (never lost). */
    private static final long MAX_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    /** How long a live message past a hole waits for the missing ones before the history is read. */
    static final long HOLE_WAIT_MS = 20;
    /** How long a hole is retried while the history cannot be read; then the held messages go on. */
    static final long HOLE_PATIENCE_MS = 30_000;
    /** Set on the fan-out threads: a listener publishing from a round must not wait for rounds. */
    private static final ThreadLocal<Boolean> IN_ROUND = ThreadLocal.withInitial(() -> false);

    final String name;
    /** Subscribed pages and the id each has seen (its floor); changed only through {@link #addPage} and {@link #removePage}. */
    final Map<Page, Long> pages = new ConcurrentHashMap<>();
    /** Bumped after every change of {@link #pages}: a round reuses the last snapshot while it matches. */
    private final java.util.concurrent.atomic.AtomicLong pagesVersion = new java.util.concurrent.atomic.AtomicLong();
    /** The last round's snapshot of {@link #pages}; null after a change (so it holds no page that left). */
    private volatile Targets snapshot;
    final List<ChannelListener> listeners = new CopyOnWriteArrayList<>();
    /** Set (under this monitor) when it left the registry for having no reader. */
    volatile boolean retired;
    /** Guards the hub watch of this channel ({@link #awaitWatched}); never held with this monitor. */
    private final Object watchLock = new Object();
    private volatile boolean watched;

    private final FanOutThreads fanOut;
    private final BiFunction<String, Long, List<ChannelMessage>> history;
    private final ToLongFunction<String> lastId;
    // guarded by this
    private final LinkedHashSet<Long> recent = new LinkedHashSet<>();
    long highest; // guarded by this
    private long base; // the history's newest id when the channel was watched here; guarded by this
    private boolean known; // whether highest is this node's real position (watched, or a message came); guarded by this
    private List<ChannelMessage> pending = new ArrayList<>();
    private boolean running;
    private long dropped; // messages dropped past MAX_QUEUED since the last round
    private final java.util.TreeMap<Long, JsonElement> held = new java.util.TreeMap<>(); // past a hole, by id
    private boolean fillScheduled;
    private long holeSince; // System.nanoTime() when the current hole was seen
    private final java.util.concurrent.ScheduledExecutorService holeFiller;

    Channel(String name, FanOutThreads fanOut, BiFunction<String, Long, List<ChannelMessage>> history,
            ToLongFunction<String> lastId, java.util.concurrent.ScheduledExecutorService holeFiller) {
        this.holeFiller = holeFiller;
        this.name = name;
        this.fanOut = fanOut;
        this.history = history;
        this.lastId = lastId;
    }

    /**
     * A message from the hub (or a catch-up): queued for the next round. Any thread. Blocks only
     * while {@link #MAX_PENDING} messages already wait (a publisher outrunning the fan-out is
     * slowed to its pace), for {@link #MAX_WAIT_NANOS} at most, and never on a fan-out thread.
     */
    synchronized void deliver(long id, JsonElement data) {
        if (pending.size() >= MAX_PENDING && !IN_ROUND.get()) awaitRoom();
        boolean any = queue(id, data);
        if (drainHeld() | any) startRound();
    }

    /** A message from the hub: queued for the next round; never blocks (see the class comment). */
    synchronized void offer(long id, JsonElement data) {
        if (pending.size() >= MAX_QUEUED) overflow();
        if (arrive(id, data)) startRound();
    }

    /** A batch from the hub: queued together, so that one round takes it whole; never blocks. */
    synchronized void offerAll(List<HubMessage.ChannelPost> posts) {
        if (pending.size() + posts.size() > MAX_QUEUED) overflow();
        boolean any = false;
        for (HubMessage.ChannelPost p : posts) any |= arrive(p.id(), p.data());
        if (any) startRound();
    }

    /** A live message: queued, or held past a hole (see the class comment); under this monitor. */
    private boolean arrive(long id, JsonElement data) {
        if (held.isEmpty() && (!known || id <= highest + 1 || holeFiller == null)) return queue(id, data);
        if (id <= highest) return queue(id, data); // a late one: nothing after it waits
        held.put(id, data);
        if (held.size() > MAX_QUEUED) return releaseHeld();
        boolean any = drainHeld();
        if (!held.isEmpty() && !fillScheduled) {
            fillScheduled = true;
            holeSince = System.nanoTime();
            scheduleFill(HOLE_WAIT_MS);
        }
        return any;
    }

    /** Queues the held messages that follow on without a hole; under this monitor. */
    private boolean drainHeld() {
        boolean any = false;
        while (!held.isEmpty() && held.firstKey() <= highest + 1) {
            Map.Entry<Long, JsonElement> e = held.pollFirstEntry();
            any |= queue(e.getKey(), e.getValue());
        }
        return any;
    }

    /** Queues every held message in id order, hole or not; under this monitor. */
    private boolean releaseHeld() {
        boolean any = false;
        while (!held.isEmpty()) {
            Map.Entry<Long, JsonElement> e = held.pollFirstEntry();
            any |= queue(e.getKey(), e.getValue());
        }
        return any;
    }

    private void scheduleFill(long delayMs) {
        try {
            holeFiller.schedule(this::fillHole, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            if (releaseHeld()) startRound();
        }
    }

    /** On the scheduler: reads the hole from the history and releases what was held, in id order. */
    private void fillHole() {
        long from;
        synchronized (this) {
            if (retired || held.isEmpty()) {
                fillScheduled = false;
                return;
            }
            from = highest;
        }
        List<ChannelMessage> missed;
        try {
            missed = history.apply(name, from);
        } catch (RuntimeException e) {
            synchronized (this) {
                if (System.nanoTime() - holeSince < java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(HOLE_PATIENCE_MS)) {
                    LOG.debug("reading the hole of channel {} after id {} failed; trying again", name, from, e);
                    scheduleFill(200);
                    return;
                }
                LOG.warn("channel {}: messages after id {} could not be read from the history for {} ms; going on without them",
                        name, from, HOLE_PATIENCE_MS);
                fillScheduled = false;
                if (releaseHeld()) startRound();
            }
            return;
        }
        synchronized (this) {
            fillScheduled = false;
            for (ChannelMessage m : missed) if (m.id() > highest) held.putIfAbsent(m.id(), m.data());
            if (releaseHeld()) startRound();
        }
    }

    /** Before a publish on this node: waits while {@link #MAX_PENDING} messages are queued (10 s at most). */
    synchronized void awaitRoomToPublish() {
        if (pending.size() >= MAX_PENDING && !IN_ROUND.get()) awaitRoom();
    }

    /** Drops what waits (this node cannot keep up with the channel); the next round resyncs the pages. */
    private void overflow() {
        dropped += pending.size();
        LOG.warn("channel {} is published faster than this node fans it out: {} waiting messages dropped, its pages get resync",
                name, pending.size());
        pending = new ArrayList<>();
    }

    /** Queues one message unless it was delivered here lately; under this monitor. */
    private boolean queue(long id, JsonElement data) {
        if (!recent.add(id)) return false;
        if (recent.size() > RECENT) {
            Iterator<Long> it = recent.iterator();
            it.next();
            it.remove();
        }
        highest = Math.max(highest, id);
        known = true;
        pending.add(new ChannelMessage(name, id, data));
        return true;
    }

    /** Starts a round unless one runs; under this monitor. */
    private void startRound() {
        if (running) return;
        running = true;
        start(this::round);
    }

    /** Messages waiting for a round now. */
    synchronized int pendingCount() {
        return pending.size();
    }

    /** Waits (under this monitor, which it releases) until a round took the pending messages. */
    private void awaitRoom() {
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        try {
            while (pending.size() >= MAX_PENDING && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // queue it anyway: nothing is lost
        }
    }

    /**
     * Makes sure the hub delivers this channel here ({@link io.halley.core.spi.Hub#watchChannel}):
     * the first caller asks the hub (which may wait for its backend) and the others wait for it,
     * outside this channel's monitor, so the hub's thread delivering messages never waits on it.
     * Throws what the hub throws; a later reader then tries again.
     */
    void awaitWatched(io.halley.core.spi.Hub hub) {
        if (watched) return;
        synchronized (watchLock) {
            if (watched || retired) return;
            hub.watchChannel(name);
            watched = true;
            learnBase();
            if (retired) unwatch(hub); // retired while the hub was asked: nobody else will undo it
        }
    }

    /**
     * Right after the watch: the history's newest id is where this node's numbering of the channel
     * starts, so a message lost on the hub after it is caught up (or read for a hole) even before
     * any message reached this node. When the history cannot say (its backend is down), the
     * channel starts unknown, as if never watched: its first message sets it.
     */
    private void learnBase() {
        long last;
        try {
            last = lastId.applyAsLong(name);
        } catch (RuntimeException e) {
            LOG.debug("channel {}: the history's newest id is unknown for now", name, e);
            return;
        }
        synchronized (this) {
            if (known) return;
            base = last;
            highest = Math.max(highest, last);
            known = true;
        }
    }

    /** After retiring (outside this monitor): tells the hub the channel has no reader here any more. */
    void unwatchIfWatched(io.halley.core.spi.Hub hub) {
        synchronized (watchLock) {
            if (watched) unwatch(hub);
        }
    }

    private void unwatch(io.halley.core.spi.Hub hub) {
        watched = false;
        try {
            hub.unwatchChannel(name);
        } catch (RuntimeException e) {
            LOG.warn("the hub failed to unwatch channel {}", name, e);
        }
    }

    /** Delivers what the history has and this node missed (after the hub lost messages). */
    synchronized void catchUp() {
        if (retired || !known) return;
        for (ChannelMessage m : history.apply(name, Math.max(base, highest - RECENT / 4))) deliver(m.id(), m.data());
    }

    /**
     * Subscribes {@code p}, first flushing the history after {@code sinceId} (none for -1). A
     * {@code sinceId} above the channel's newest id belongs to an earlier numbering (the history
     * restarted): the page gets a {@link Command.ChannelRestart} and then the history from the
     * new start, instead of waiting for ids it may never see again.
     */
    synchronized void addPage(Page p, long sinceId) {
        if (sinceId < 0) {
            if (pages.putIfAbsent(p, -1L) == null) pagesChanged();
            return;
        }
        List<Command> missed = new ArrayList<>();
        long newest = Math.max(highest, lastId.applyAsLong(name));
        if (sinceId > newest) {
            LOG.debug("a page subscribed to channel {} from {}, past its newest id {}: numbering restarted", name, sinceId, newest);
            missed.add(new Command.ChannelRestart(name, sinceId, newest));
            sinceId = 0;
            pages.put(p, -1L); // a floor from the old numbering would hide the new messages
        }
        long high = sinceId;
        for (ChannelMessage m : history.apply(name, sinceId)) {
            missed.add(new Command.Message(name, m.id(), m.data()));
            high = Math.max(high, m.id());
        }
        pages.merge(p, high, Math::max);
        pagesChanged();
        if (!missed.isEmpty()) p.flush(missed);
    }

    /** Unsubscribes {@code p}. Any thread. */
    void removePage(Page p) {
        if (pages.remove(p) != null) pagesChanged();
    }

    private void pagesChanged() {
        pagesVersion.incrementAndGet();
        snapshot = null;
    }

    /**
     * The pages a round delivers to, their outboxes (what a delivery touches) and their floors, in
     * arrays (no entry object per page and round).
     */
    private record Targets(long version, Page[] pages, Outbox[] outboxes, long[] floors, int size) {
    }

    /**
     * The subscribed pages now: the last round's snapshot when no page came or went since (a
     * channel published to many times a second between subscriptions copies its pages once, not
     * once per round). Under this monitor; a removal racing it is seen by the next round.
     */
    private Targets targets() {
        long version = pagesVersion.get();
        Targets t = snapshot;
        if (t != null && t.version() == version) return t;
        int capacity = pages.size() + 16;
        Page[] ps = new Page[capacity];
        Outbox[] boxes = new Outbox[capacity];
        long[] floors = new long[capacity];
        PageAccess access = PageAccess.get();
        int n = 0;
        for (Map.Entry<Page, Long> e : pages.entrySet()) {
            if (n == ps.length) {
                ps = java.util.Arrays.copyOf(ps, n * 2);
                boxes = java.util.Arrays.copyOf(boxes, n * 2);
                floors = java.util.Arrays.copyOf(floors, n * 2);
            }
            ps[n] = e.getKey();
            boxes[n] = access.outbox(e.getKey());
            floors[n++] = e.getValue();
        }
        t = new Targets(version, ps, boxes, floors, n);
        snapshot = t;
        return t;
    }

    // ---- rounds (fan-out threads) -------------------------------------------------------------

    private void start(Runnable task) {
        try {
            fanOut.execute(task);
        } catch (RejectedExecutionException closing) { // the runtime is closing: nobody is left to read
            synchronized (this) {
                running = false;
                pending = new ArrayList<>();
            }
        }
    }

    private long roundStart; // written by the round, read by its last slice (ordered by the pool and `left`)

    private void round() {
        roundStart = System.nanoTime();
        List<ChannelMessage> taken;
        Targets targets;
        long lost;
        IN_ROUND.set(true);
        synchronized (this) {
            lost = dropped;
            dropped = 0;
            taken = pending;
            pending = new ArrayList<>();
            targets = targets();
            notifyAll(); // room for publishers waiting in deliver
        }
        try {
            for (ChannelMessage m : taken) {
                for (ChannelListener l : listeners) {
                    try {
                        l.onMessage(m);
                    } catch (RuntimeException e) {
                        LOG.warn("listener of channel {} failed", name, e);
                    }
                }
            }
        } finally {
            if (targets.size() == 0) roundDone();
        }
        if (targets.size() == 0) return;
        byte[] resync = lost == 0 ? null : Json.utf8(Json.encodeCommands(List.of(new Command.Resync(0))));
        List<Group> groups;
        try {
            groups = Group.of(name, taken);
        } catch (RuntimeException e) { // never expected (the data are JSON trees); must not stall the channel
            LOG.warn("encoding {} message(s) of channel {} failed; they reach no page", taken.size(), name, e);
            roundDone();
            return;
        }
        int slices = Math.max(1, Math.min(fanOut.size(), targets.size() / SLICE));
        AtomicInteger left = new AtomicInteger(slices);
        for (int s = 1; s < slices; s++) {
            int from = targets.size() * s / slices;
            int to = targets.size() * (s + 1) / slices;
            try {
                fanOut.execute(() -> slice(targets, from, to, resync, groups, left));
            } catch (RejectedExecutionException closing) {
                if (left.decrementAndGet() == 0) roundDone();
            }
        }
        slice(targets, 0, targets.size() / slices, resync, groups, left);
    }

    private void slice(Targets targets, int from, int to, byte[] resync, List<Group> groups,
                       AtomicInteger left) {
        try {
            Outbox[] outboxes = targets.outboxes();
            long[] floors = targets.floors();
            int nGroups = groups.size();
            for (int i = from; i < to; i++) {
                Outbox outbox = outboxes[i]; // not the page: a delivery touches as few objects as it can
                long floor = floors[i];
                if (resync != null) {
                    try {
                        outbox.append(resync, true);
                    } catch (HalleyException ex) {
                        LOG.debug("resync to {} refused: {}", targets.pages()[i], ex.getMessage());
                    }
                }
                for (int k = 0; k < nGroups; k++) {
                    Group g = groups.get(k);
                    byte[] bytes = floor < g.lowestId ? g.utf8 : g.above(floor);
                    if (bytes == null) continue;
                    try {
                        outbox.append(bytes, true); // -1 when the page died meanwhile: nothing to do
                    } catch (HalleyException ex) {
                        LOG.debug("channel message to {} refused: {}", targets.pages()[i], ex.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("fan-out of channel {} failed", name, e);
        } finally {
            if (left.decrementAndGet() == 0) roundDone();
        }
    }

    private void roundDone() {
        fanOut.roundDone(roundStart);
        synchronized (this) {
            if (pending.isEmpty()) {
                running = false;
                notifyAll();
                return;
            }
        }
        start(this::round);
    }

    /** Messages sharing one frame: each encoded once, joined into one command array. */
    private static final class Group {
        final List<ChannelMessage> messages;
        final List<String> encoded; // each message's command object
        final byte[] utf8;
        final long lowestId;

        private Group(List<ChannelMessage> messages, List<String> encoded) {
            this.messages = messages;
            this.encoded = encoded;
            this.utf8 = join(encoded, 0, encoded.size());
            long low = Long.MAX_VALUE;
            for (ChannelMessage m : messages) low = Math.min(low, m.id());
            this.lowestId = low;
        }

        static List<Group> of(String channel, List<ChannelMessage> taken) {
            List<Group> out = new ArrayList<>(1);
            List<ChannelMessage> ms = new ArrayList<>();
            List<String> enc = new ArrayList<>();
            long size = 0;
            for (ChannelMessage m : taken) {
                String array = Json.encodeCommands(List.of(new Command.Message(channel, m.id(), m.data())));
                String one = array.substring(1, array.length() - 1);
                if (!ms.isEmpty() && size + one.length() > GROUP_BYTES) {
                    out.add(new Group(ms, enc));
                    ms = new ArrayList<>();
                    enc = new ArrayList<>();
                    size = 0;
                }
                ms.add(m);
                enc.add(one);
                size += one.length() + 1;
            }
            if (!ms.isEmpty()) out.add(new Group(ms, enc));
            return out;
        }

        /** The messages above {@code floor} as their own array, or null if none is. */
        byte[] above(long floor) {
            List<String> keep = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) if (messages.get(i).id() > floor) keep.add(encoded.get(i));
            return keep.isEmpty() ? null : join(keep, 0, keep.size());
        }

        private static byte[] join(List<String> parts, int from, int to) {
            StringBuilder b = new StringBuilder(64 * (to - from)).append('[');
            for (int i = from; i < to; i++) {
                if (i > from) b.append(',');
                b.append(parts.get(i));
            }
            return Json.utf8(b.append(']').toString());
        }
    }
}
