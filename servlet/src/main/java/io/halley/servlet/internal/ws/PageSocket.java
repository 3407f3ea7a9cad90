package io.halley.servlet.internal.ws;

import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.core.metrics.TransportMeters;
import io.halley.core.transport.Frame;
import io.halley.core.transport.FrameConsumer;
import io.halley.core.transport.PageStream;
import io.halley.core.transport.PageStreams;
import io.halley.core.transport.Replay;
import io.halley.servlet.internal.stream.Connections;
import io.halley.servlet.internal.stream.Held;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One page's WebSocket: attached to the page like any transport (replacing its previous one,
 * renewing its lease) from the resume point of its upgrade request. Each batch of frames is one
 * text message, a JSON array of frames {@code [{"seq":N,"cmds":[...]}, ...]} (about 256 KiB at
 * most); one send is in flight at a time ({@code getAsyncRemote}, the next batch when it
 * completes), so no thread waits on a slow client. Heartbeats are pings (the servlet's sweep); a
 * send that has not completed for two heartbeats closes the socket (a dead peer). Closes with
 * 1000 when another transport replaced it, 1001 when the servlet stops, 4410 after the last
 * frames of a page that died (the client opens a new page, as after a 410). A close gives the page
 * and the slot back at once and hands the session's close to the {@code closers} threads, never
 * run on the caller's: Tomcat's close waits (here 5 s at most) for a send in flight, and the
 * caller may be the socket replacing this one or the heartbeat sweep. Messages from the
 * client are requests (calls, actions, channels) answered by {@link SocketCommands}; each reply
 * is one text message, sent before the next batch of frames. Thread-safe.
 */
public final class PageSocket extends Endpoint implements Held, FrameConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(PageSocket.class);
    /** The close code for a page that died: 4000 + its HTTP status. */
    static final int PAGE_GONE = 4410;
    private static final long MAX_BATCH = 256 * 1024;
    private static final int MAX_REPLIES = 256;
    /** Tomcat's session property bounding its blocking sends (a close waits for a send in flight; 20 s by default). */
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
    private static final long CLOSE_WITHIN_MILLIS = 5000;

    private final Page page;
    private final Connections registry;
    private final SocketCommands commands;
    private final TransportMeters meters;
    private final Executor closers;
    // guarded by this
    private final ArrayDeque<String> replies = new ArrayDeque<>();
    private Session session;
    private PageStream attachment;
    private long lastSent;
    private long replayThrough; // a resuming socket: frames up to this one count as replayed
    private boolean sending;
    private long sendingSince;
    private boolean dying;
    private boolean closed;
    private boolean counted; // streamOpened was recorded, streamClosed is due

    PageSocket(Page page, long since, Connections registry, TransportMeters meters, SocketCommands commands,
               Executor closers) {
        this.meters = meters;
        this.closers = closers;
        this.page = page;
        this.lastSent = since;
        this.registry = registry;
        this.commands = commands;
    }

    /**
     * Whether the container opened the socket, or else gives up its reserved slot for good (a
     * handshake that never completed); true when it opened. Called once: by the endpoint's timer,
     * or at once by the endpoint when the upgrade failed.
     */
    synchronized boolean openedOrAbandoned() {
        if (session != null) return true;
        closed = true;
        return false;
    }

    @Override
    public void onOpen(Session s, EndpointConfig config) {
        boolean abandoned;
        synchronized (this) {
            abandoned = closed;
            if (!abandoned) session = s;
        }
        s.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, CLOSE_WITHIN_MILLIS);
        if (abandoned) { // its slot was given back
            closeLater(s, CloseReason.CloseCodes.TRY_AGAIN_LATER.getCode(), "too late");
            return;
        }
        s.setMaxIdleTimeout(0); // liveness is ours: pings every heartbeat, stalled sends closed
        s.setMaxTextMessageBufferSize(commands.bufferSize());
        s.addMessageHandler(String.class, text -> reply(commands.answer(text)));
        registry.add(this);
        synchronized (this) { counted = true; }
        meters.streamOpened();
        synchronized (this) { // what the page buffered while the client was away is a replay
            if (lastSent > 0) replayThrough = PageStreams.frames(page).lastSeq();
        }
        PageStream a;
        try {
            a = PageStreams.attach(page, this);
        } catch (HalleyException gone) {
            close(PAGE_GONE, "page is gone");
            return;
        }
        boolean late;
        synchronized (this) {
            attachment = a;
            late = closed;
        }
        if (late) a.detach();
        else pump();
    }

    @Override
    public void onClose(Session s, CloseReason reason) { finish(); }

    @Override
    public void onError(Session s, Throwable t) {
        LOG.debug("a WebSocket of {} failed: {}", page, String.valueOf(t));
        finish();
    }

    // ---- the page

    @Override
    public void framesAvailable() { pump(); }

    @Override
    public void detached(boolean replaced) {
        if (replaced) {
            close(CloseReason.CloseCodes.NORMAL_CLOSURE.getCode(), "replaced");
            return;
        }
        synchronized (this) { dying = true; } // drain what the page flushed before it died, then close 4410
        pump();
    }

    /**
     * Queues the reply to a request; it goes out before the next batch of frames. A client with
     * {@link #MAX_REPLIES} replies unsent (it sends requests but does not read) is closed (1008).
     */
    private void reply(String text) {
        boolean flooding;
        synchronized (this) {
            if (closed) return;
            flooding = replies.size() >= MAX_REPLIES;
            if (!flooding) replies.add(text);
        }
        if (flooding) close(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), "too many unread replies");
        else pump();
    }

    /** Sends the next reply or batch unless one is in flight; closes a dying page's socket once all is sent. */
    private void pump() {
        String text;
        Session s;
        synchronized (this) {
            if (closed || sending || session == null) return;
            text = replies.poll();
            if (text == null) {
                Replay r = PageStreams.frames(page).since(lastSent);
                if (!r.frames().isEmpty()) text = batch(r);
                else if (!dying) return;
            }
            if (text != null) {
                sending = true;
                sendingSince = System.nanoTime();
            }
            s = session;
        }
        if (text == null) {
            close(PAGE_GONE, "page is gone");
            return;
        }
        try {
            s.getAsyncRemote().sendText(text, result -> {
                synchronized (this) { sending = false; }
                if (result.isOK()) pump();
                else close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "send failed"); // 1006 may not be sent
            });
        } catch (RuntimeException e) { // closed meanwhile
            LOG.debug("a WebSocket send of {} failed: {}", page, e.toString());
            finish();
        }
    }

    /**
     * One text message of the replay's frames from the first, about {@link #MAX_BATCH} at most;
     * advances lastSent. Counts them as the HTTP streams do: a resync frame as a resync, frames
     * the page buffered before a resuming socket opened as replayed.
     */
    private String batch(Replay r) {
        assert Thread.holdsLock(this);
        StringBuilder b = new StringBuilder().append('[');
        int n = 0;
        int replayed = 0;
        List<Frame> frames = r.frames();
        for (int i = 0; i < frames.size(); i++) { // indexed: no iterator per batch
            Frame f = frames.get(i);
            if (b.length() > 1) b.append(',');
            b.append(f.toJson());
            if (n == 0 && r.resync()) meters.sentResync();
            else if (f.seq() <= replayThrough && f.seq() > lastSent) replayed++;
            lastSent = f.seq();
            n++;
            if (b.length() >= MAX_BATCH) break;
        }
        String text = b.append(']').toString();
        if (replayed > 0) meters.replayedFrames(replayed);
        meters.wroteFrames(n);
        meters.wroteBytes(text.length()); // characters of the text message (ASCII JSON but for non-ASCII data)
        return text;
    }

    // ---- the servlet's sweeps

    @Override
    public void heartbeatDue(long periodNanos) {
        Session s;
        synchronized (this) {
            if (closed || session == null) return;
            if (sending && System.nanoTime() - sendingSince > 2 * periodNanos) {
                s = null;
            } else if (sending) {
                return; // the frames in flight are the heartbeat
            } else {
                s = session;
            }
        }
        if (s == null) {
            meters.droppedSlowConsumer(); // once: close() makes every later sweep return at once
            close(CloseReason.CloseCodes.GOING_AWAY.getCode(), "no send progress for two heartbeats");
            return;
        }
        try {
            s.getAsyncRemote().sendPing(ByteBuffer.wrap("hb".getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            LOG.debug("a WebSocket ping of {} failed: {}", page, e.toString());
            finish();
        }
    }

    @Override
    public void shutdown() {
        close(CloseReason.CloseCodes.GOING_AWAY.getCode(), "server stopping");
    }

    /** Gives the page and the slot back ({@link #finish}), then closes the session on a closer's thread. */
    private void close(int code, String reason) {
        Session s;
        synchronized (this) {
            s = session;
        }
        finish();
        if (s != null) closeLater(s, code, reason);
    }

    /** Closes {@code s} on a closer's thread; on this one when the closers stopped (the servlet is stopping). */
    private void closeLater(Session s, int code, String reason) {
        Runnable close = () -> {
            try {
                s.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing a WebSocket of {}: {}", page, e.toString());
            }
        };
        try {
            closers.execute(close);
        } catch (RejectedExecutionException stopping) {
            close.run();
        }
    }

    /** Releases everything once: the registry slot and the attachment (the page's lease starts). */
    private void finish() {
        PageStream a;
        boolean wasCounted;
        synchronized (this) {
            wasCounted = counted;
            counted = false;
            if (closed && !wasCounted) return;
            closed = true;
            a = attachment;
        }
        if (wasCounted) meters.streamClosed();
        registry.remove(this);
        if (a != null) a.detach();
    }
}
