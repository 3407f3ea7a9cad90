package io.halley.servlet.internal.stream;

import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.transport.Frame;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.PageStream;
import io.halley.core.transport.PageStreams;
import io.halley.servlet.internal.HeldWriter;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One held SSE stream carrying the frames of several pages of one browser (one Halley session
 * id): the stream halley.js's elected tab holds for every tab of that browser
 * ({@code GET /shared}, pages joining with {@code POST /join}). Each page is a {@link Member}
 * attached to its page like any transport (replacing the page's previous one, renewing its
 * lease); each frame goes out as {@code data: {"page":"<id>","seq":N,"cmds":[...]}}, a page that
 * died as {@code event: gone} / {@code data: {"page":"<id>"}} after its last frames. No
 * {@code id:} lines: every tab resumes its own page from its own last sequence when it joins the
 * next shared stream. Only pages of the stream's session ever join ({@link SharedStreams}).
 *
 * <p>A member's tab renews it ({@link #here}) every quarter of {@code sharedPageTimeout}; the
 * heartbeat sweep takes off a member not renewed for that long (its tab crashed or was killed
 * without {@code pagehide}, so no {@code POST /leave} came), and its page's lease starts. Only a
 * member known to renew (it joined saying so, or renewed once) times out: a client from before
 * renewals stays on as it always did.
 *
 * <p>Written by a {@link HeldWriter} in the steps of a {@link StreamPlan} (SSE heartbeats and
 * probes from the servlet's sweeps), as {@link HeldStream} is. Ends when a newer shared stream of
 * the session replaces it, when the servlet stops, or when the connection fails; its members are
 * then detached (their leases start) unless a newer stream took them already. Thread-safe.
 */
public final class SharedStream implements Held, HeldWriter.Steps {
    private static final Logger LOG = LoggerFactory.getLogger(SharedStream.class);
    private static final long MAX_BATCH = 256 * 1024;
    private static final SseFormat SSE = new SseFormat();
    private static final byte[] DATA_PAGE = WireBytes.ascii("data: {\"page\":\"");
    private static final byte[] PAGE_END = WireBytes.ascii("\",");
    private static final byte[] END = WireBytes.ascii("\n\n");

    final String session;
    private final AsyncContext async;
    private final HeldWriter writer;
    private final StreamPlan plan = new StreamPlan(SSE);
    private final Connections registry;
    private final BrowserBudget.Ticket ticket;
    private final SharedStreams owner;
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Member> dying = new ConcurrentLinkedQueue<>();
    private final long memberTimeoutNanos;
    private volatile boolean finished;

    private final io.halley.core.metrics.TransportMeters meters;

    SharedStream(String session, AsyncContext async, HttpServletResponse response, Connections registry,
                 BrowserBudget.Ticket ticket, SharedStreams owner, Executor writers,
                 io.halley.core.metrics.TransportMeters meters, java.time.Duration memberTimeout) throws IOException {
        this.memberTimeoutNanos = memberTimeout.toNanos();
        this.meters = meters;
        this.session = session;
        this.async = async;
        this.registry = registry;
        this.ticket = ticket;
        this.owner = owner;
        this.writer = new HeldWriter(response.getOutputStream(), writers, this, "a shared stream");
        meters.streamOpened(); // closed once, in finish()
    }

    /** One page on the stream: its attachment and what was sent of it (owned by the writer). */
    final class Member implements FrameConsumer {
        final Page page;
        private volatile PageStream attachment;
        private long lastSent;
        private volatile boolean pending = true;
        private volatile long renewedAt = System.nanoTime();
        private volatile boolean renews; // its tab renews it (halley.js said so, or did): it may time out

        Member(Page page, long since, boolean renews) {
            this.renews = renews;
            this.page = page;
            this.lastSent = since;
        }

        @Override
        public void framesAvailable() {
            if (mark()) writer.dispatch();
        }

        @Override
        public void framesAvailableOnFanOut() {
            if (mark()) writer.iterate();
        }

        private boolean mark() {
            if (finished) return false;
            pending = true;
            plan.frames();
            return true;
        }

        @Override
        public void detached(boolean replaced) {
            if (!members.remove(page.id(), this)) return;
            if (replaced) return; // the page took another transport (or a newer shared stream)
            pending = true; // drain what the page flushed before it died, then say it is gone
            dying.add(this);
            plan.frames();
            writer.dispatch();
        }
    }

    /** Starts the stream on the request's thread. */
    void start() {
        try {
            async.addListener(writer.endsWithResponse(this::finish));
            writer.listen();
        } catch (RuntimeException e) {
            LOG.warn("cannot start a shared stream", e);
            writer.fail(e);
        }
    }

    /**
     * Puts {@code page} (of this stream's session: the caller checked) on the stream from
     * {@code since}, replacing its previous transport (or its earlier membership).
     *
     * @return false when the stream ended meanwhile
     * @throws HalleyException GONE if the page died
     */
    boolean join(Page page, long since, boolean renews) {
        if (finished) return false;
        Member m = new Member(page, since, renews);
        members.put(page.id(), m);
        PageStream a;
        try {
            a = PageStreams.attach(page, m); // the previous member, if any, is detached (replaced) here
        } catch (HalleyException dead) {
            members.remove(page.id(), m);
            throw dead;
        }
        m.attachment = a;
        if (finished) { // ended while joining: finish() may have missed it
            members.remove(page.id(), m);
            a.detach();
            return false;
        }
        plan.frames();
        writer.dispatch();
        return true;
    }

    /** Takes {@code page} off the stream (its tab left): detached, its lease starts. */
    boolean leave(String pageId) {
        Member m = members.get(pageId);
        return m != null && takeOff(m);
    }

    private boolean takeOff(Member m) {
        if (!members.remove(m.page.id(), m)) return false;
        PageStream a = m.attachment;
        if (a != null) a.detach();
        return true;
    }

    /**
     * Renews {@code pageId}'s membership (its tab is there).
     *
     * @return false when the page is not on this stream (taken off, or never joined): its tab joins again
     */
    boolean here(String pageId) {
        Member m = members.get(pageId);
        if (m == null || finished) return false;
        m.renewedAt = System.nanoTime();
        m.renews = true;
        return true;
    }

    /** Takes off the members whose tabs have not renewed them for {@code memberTimeoutNanos}. */
    private void dropSilentMembers() {
        long now = System.nanoTime();
        for (Member m : members.values()) {
            if (m.renews && now - m.renewedAt > memberTimeoutNanos && takeOff(m)) {
                LOG.debug("page {} taken off a shared stream: no word from its tab for {} ms", m.page.id(),
                        memberTimeoutNanos / 1_000_000);
            }
        }
    }

    /** Pages on the stream now. */
    int size() {
        return members.size();
    }

    /** A newer shared stream of the session replaces this one. */
    void replaced() {
        end(HeldStream.End.REPLACED);
    }

    @Override
    public void shutdown() {
        end(HeldStream.End.SHUTDOWN);
    }

    private void end(HeldStream.End reason) {
        if (finished) return;
        if (plan.end(reason)) writer.dispatch();
    }

    @Override
    public void heartbeatDue(long heartbeatNanos) {
        if (writer.stalled(2 * heartbeatNanos)) {
            writer.fail(new IOException("no write progress for two heartbeats"));
            return;
        }
        if (finished) return;
        dropSilentMembers();
        plan.heartbeat();
        writer.dispatch();
    }

    @Override
    public void probeDue(long quietNanos) {
        if (finished || !writer.quietFor(quietNanos)) return;
        plan.probe();
        writer.dispatch();
    }

    // ---- the writer's steps

    @Override
    public HeldWriter.Result step(ServletOutputStream out) throws IOException {
        switch (plan.next(false)) {
            case OPEN:
                return write(out, SSE.open());
            case FRAMES:
                return write(out, frames());
            case HEARTBEAT:
                return write(out, SSE.heartbeat());
            case PROBE:
                return write(out, SSE.probe());
            case END:
                return HeldWriter.Result.WROTE;
            case FLUSH:
                out.flush();
                return HeldWriter.Result.WROTE;
            case COMPLETE:
                return HeldWriter.Result.DONE;
            default:
                return HeldWriter.Result.IDLE;
        }
    }

    private HeldWriter.Result write(ServletOutputStream out, byte[] bytes) throws IOException {
        if (bytes.length == 0) return HeldWriter.Result.WROTE;
        out.write(bytes);
        meters.wroteBytes(bytes.length);
        plan.wrote();
        return HeldWriter.Result.WROTE;
    }

    /** The pending frames of every member (about {@link #MAX_BATCH} bytes at most), then the gone pages. */
    private byte[] frames() {
        List<byte[]> parts = new ArrayList<>();
        long size = 0;
        boolean more = false;
        List<Member> all = new ArrayList<>(members.values());
        all.addAll(dying);
        for (Member m : all) {
            if (!m.pending) continue;
            if (size >= MAX_BATCH) {
                more = true;
                break;
            }
            m.pending = false;
            List<Frame> frames = PageStreams.frames(m.page).since(m.lastSent).frames();
            for (Frame f : frames) {
                if (size >= MAX_BATCH) {
                    m.pending = true;
                    more = true;
                    break;
                }
                byte[] b = tagged(m.page.id(), f);
                parts.add(b);
                size += b.length;
                m.lastSent = f.seq();
                meters.wroteFrames(1);
            }
        }
        Member d;
        while (!more && (d = dying.poll()) != null) {
            byte[] b = WireBytes.ascii("event: gone\ndata: {\"page\":\"" + d.page.id() + "\"}\n\n");
            parts.add(b);
            size += b.length;
        }
        if (more) plan.frames();
        byte[] out = new byte[(int) size];
        int at = 0;
        for (byte[] p : parts) at = WireBytes.put(out, at, p);
        return out;
    }

    /** {@code data: {"page":"<id>","seq":N,"cmds":[...]}} and the blank line. */
    private static byte[] tagged(String pageId, Frame f) {
        byte[] id = WireBytes.ascii(pageId);
        int frameLen = WireBytes.frameLength(f) - 1; // without its opening brace
        byte[] out = new byte[DATA_PAGE.length + id.length + PAGE_END.length + frameLen + END.length];
        int at = WireBytes.put(out, 0, DATA_PAGE);
        at = WireBytes.put(out, at, id);
        at = WireBytes.put(out, at, PAGE_END);
        byte[] frame = new byte[frameLen + 1];
        WireBytes.putFrame(frame, 0, f);
        System.arraycopy(frame, 1, out, at, frameLen);
        WireBytes.put(out, at + frameLen, END);
        return out;
    }

    @Override
    public void ended(Throwable failure) {
        if (failure != null) LOG.debug("shared stream of a browser ended: {}", String.valueOf(failure));
        try {
            async.complete();
        } catch (RuntimeException e) {
            LOG.debug("completing a shared stream: {}", e.toString());
        }
        finish();
    }

    /** Releases everything once: registry slot, budget ticket, the session's entry, every member. */
    private void finish() {
        synchronized (this) {
            if (finished) return;
            finished = true;
        }
        meters.streamClosed();
        registry.remove(this);
        ticket.release();
        owner.ended(this);
        for (Member m : new ArrayList<>(members.values())) {
            if (members.remove(m.page.id(), m) && m.attachment != null) m.attachment.detach();
        }
    }
}
