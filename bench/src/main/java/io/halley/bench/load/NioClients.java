package io.halley.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lean load generator: plain NIO sockets on one or two selector threads, a hand-written
 * HTTP/1.1 response parser (content-length and chunked bodies, keep-alive) and a streaming scanner
 * that finds the bench messages in the body whatever the framing: SSE events, {@code <script>}
 * chunks or long-poll JSON. It holds 15,000 connections in a few tens of MB.
 *
 * <p>Against Halley each connection is one browser page: {@code POST /halley/page} (the
 * {@code HALLEY_BROWSER} cookie, or whatever cookies the server sets, and a page; the server's page listener subscribes it to the bench channel), then on the
 * same connection {@code GET /halley/<transport>?page=P&since=N}; when a response ends (a
 * long-poll answered, an iframe rotated) it asks again with {@code since} = the last frame
 * sequence it saw, as {@code halley.js} does. Against the limit (and Spring's {@code SseEmitter}):
 * {@code GET /sse}. Against CometD's long-polling transport it speaks Bayeux over HTTP/1.1 on the
 * one connection, as CometD's JavaScript client does per tab: {@code POST /cometd/handshake}
 * (long-polling only), {@code POST /cometd/subscribe} to {@code /bench}, then {@code POST
 * /cometd/connect} again each time the held connect is answered (the messages ride in the
 * answers).
 */
public final class NioClients implements Clients {
    /** How the client talks to the server. */
    public enum Target {
        LIMIT_SSE("sse"), HALLEY_SSE("sse"), HALLEY_IFRAME("iframe"), HALLEY_POLL("poll"),
        /** Bayeux over HTTP to CometD's {@code /cometd}: handshake, subscribe, then held {@code /meta/connect}s. */
        COMETD_LONG_POLLING("long-polling"),
        /** Atmosphere's SSE transport: {@code GET /atmosphere/bench?X-Atmosphere-Transport=sse}. */
        ATMOSPHERE_SSE("sse"),
        /** Halley's {@code /halley/ws}: read by {@link WsClients}, not by this class. */
        HALLEY_WS("ws"),
        /** The limit's bare {@code /ws}: read by {@link WsClients}, not by this class. */
        LIMIT_WS("ws");

        public final String transport;

        Target(String transport) {
            this.transport = transport;
        }
    }

    private static final int CONCURRENT_OPENS = 256;

    private final InetSocketAddress[] addresses;
    private final String[] hosts;
    private final Target target;
    private final Tally tally = new Tally();
    private final SelectorLoop[] loops;
    private final List<Conn> conns = new ArrayList<>();
    private final AtomicInteger up = new AtomicInteger();
    private int next;
    private int created;

    public NioClients(int port, Target target, int threads) throws IOException {
        this(new int[] {port}, target, threads);
    }

    /**
     * Clients spread over several servers (the nodes of one cluster): connection i goes to
     * {@code ports[i % ports.length]}, all of them in one {@link Tally}.
     */
    public NioClients(int[] ports, Target target, int threads) throws IOException {
        if (target.transport.equals("ws")) throw new IllegalArgumentException(target + " is WsClients' target");
        this.addresses = new InetSocketAddress[ports.length];
        this.hosts = new String[ports.length];
        for (int i = 0; i < ports.length; i++) {
            addresses[i] = new InetSocketAddress("127.0.0.1", ports[i]);
            hosts[i] = "127.0.0.1:" + ports[i];
        }
        this.target = target;
        this.loops = new SelectorLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new SelectorLoop("nio-client-" + i);
            loops[i].thread.start();
        }
    }

    @Override
    public int open(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore opening = new Semaphore(CONCURRENT_OPENS);
        List<Conn> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!opening.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
            Conn c = new Conn(tally.newReceiver(), opening, created++ % addresses.length);
            batch.add(c);
            synchronized (conns) {
                conns.add(c);
            }
            loops[next++ % loops.length].add(c);
        }
        // every connection releases its permit once it streams or fails
        opening.tryAcquire(CONCURRENT_OPENS, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        int ok = 0;
        for (Conn c : batch) if (c.ready && !c.receiver.failed) ok++;
        return ok;
    }

    @Override
    public Tally tally() {
        return tally;
    }

    @Override
    public int up() {
        return up.get();
    }

    /** Requests sent after a response ended (long-polls, iframe rotations, SSE reconnects). */
    long rerequests() {
        long n = 0;
        synchronized (conns) {
            for (Conn c : conns) n += c.rerequests;
        }
        return n;
    }

    @Override
    public void close() {
        SelectorLoop.closeAll(loops);
    }

    // ---- one connection ---------------------------------------------------------------------

    private enum Phase { CONNECTING, OPENING_PAGE, STREAMING, CLOSED }

    private static final int HEAD = 0, BODY_LENGTH = 1, BODY_CHUNKED = 2, BODY_TO_CLOSE = 3;
    private static final int C_SIZE = 0, C_EXT = 1, C_SIZE_LF = 2, C_DATA = 3, C_DATA_CR = 4, C_DATA_LF = 5,
            C_TRAILER_START = 6, C_TRAILER_LINE = 7, C_TRAILER_LF = 8;

    private final class Conn implements SelectorLoop.Conn {
        final Receiver receiver;
        private Semaphore opening;
        private SocketChannel channel;
        private SelectionKey key;
        private Phase phase = Phase.CONNECTING;
        volatile boolean ready;
        private ByteBuffer out;
        // the response being parsed
        private int rstate = HEAD;
        private byte[] head = new byte[1024];
        private int headLen;
        private int status;
        private long remaining;
        private int cstate;
        private long chunk;
        private StringBuilder pageBody;
        // CometD: 0 handshake, 1 subscribe (then streaming connects)
        private int bayeuxStep;
        private String clientId;
        private int bayeuxId;
        // Halley page
        private String page;
        private String cookies = "";
        long rerequests;
        private final MessageScanner scanner;

        private final InetSocketAddress address;
        private final String hostHeader;

        Conn(Receiver receiver, Semaphore opening, int server) {
            this.address = addresses[server];
            this.hostHeader = hosts[server];
            this.receiver = receiver;
            this.opening = opening;
            this.scanner = new MessageScanner(receiver);
        }

        @Override
        public void start(Selector selector) {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (channel.connect(address)) {
                    key = channel.register(selector, SelectionKey.OP_READ, this);
                    onConnected(key);
                } else {
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException e) {
                fail("connect: " + e);
            }
        }

        @Override
        public void connected(SelectionKey k) throws IOException {
            if (!channel.finishConnect()) return;
            k.interestOps(SelectionKey.OP_READ);
            onConnected(k);
        }

        private void onConnected(SelectionKey k) throws IOException {
            if (target == Target.COMETD_LONG_POLLING) {
                phase = Phase.OPENING_PAGE;
                pageBody = new StringBuilder(256);
                bayeux(k, "handshake", "{\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"minimumVersion\":\"1.0\","
                        + "\"supportedConnectionTypes\":[\"long-polling\"]");
            } else if (target == Target.ATMOSPHERE_SSE) {
                phase = Phase.STREAMING;
                send(k, "GET /atmosphere/bench?X-Atmosphere-Transport=sse&X-Atmosphere-tracking-id=0&X-atmo-protocol=false"
                        + "&X-Atmosphere-Framework=3.0.0 HTTP/1.1\r\nHost: " + hostHeader + "\r\nAccept: text/event-stream\r\n\r\n");
            } else if (target == Target.LIMIT_SSE) {
                phase = Phase.STREAMING;
                send(k, "GET /sse HTTP/1.1\r\nHost: " + hostHeader + "\r\nAccept: text/event-stream\r\n\r\n");
            } else {
                phase = Phase.OPENING_PAGE;
                pageBody = new StringBuilder(128);
                send(k, "POST /halley/page HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Length: 0\r\n\r\n");
            }
        }

        private void requestStream(SelectionKey k) throws IOException {
            phase = Phase.STREAMING;
            send(k, "GET /halley/" + target.transport + "?page=" + page + "&since=" + scanner.lastSeq() + " HTTP/1.1\r\nHost: "
                    + hostHeader + "\r\nCookie: " + cookies + "\r\n"
                    + (target == Target.HALLEY_SSE ? "Accept: text/event-stream\r\n" : "") + "\r\n");
            if (target == Target.HALLEY_POLL) becomeReady(); // a held poll says nothing until there is a frame
        }

        /** One Bayeux message (without its closing brace) POSTed to {@code /cometd/<what>}, with an id and the client id. */
        private void bayeux(SelectionKey k, String what, String message) throws IOException {
            String body = "[" + message + ",\"id\":\"" + (++bayeuxId) + "\"" + (clientId == null ? "" : ",\"clientId\":\"" + clientId + "\"")
                    + "}]";
            send(k, "POST /cometd/" + what + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nContent-Type: application/json;charset=UTF-8\r\n"
                    + (cookies.isEmpty() ? "" : "Cookie: " + cookies + "\r\n") + "Content-Length: " + body.length() + "\r\n\r\n" + body);
        }

        /** The handshake's and the subscription's answers; then the connects stream. */
        private void bayeuxAnswer(SelectionKey k, String json) throws IOException {
            if (!json.contains("\"successful\":true")) {
                fail("CometD " + (bayeuxStep == 0 ? "handshake" : "subscribe") + " failed: " + json);
                return;
            }
            if (bayeuxStep == 0) {
                int at = json.indexOf("\"clientId\":\"");
                if (at < 0) {
                    fail("no clientId in " + json);
                    return;
                }
                clientId = json.substring(at + 12, json.indexOf('"', at + 12));
                bayeuxStep = 1;
                pageBody = new StringBuilder(256);
                bayeux(k, "subscribe", "{\"channel\":\"/meta/subscribe\",\"subscription\":\"/" + Payload.CHANNEL + "\"");
            } else {
                pageBody = null;
                phase = Phase.STREAMING;
                connect(k);
                becomeReady(); // subscribed: a held connect says nothing until there is a message
            }
        }

        private void connect(SelectionKey k) throws IOException {
            bayeux(k, "connect", "{\"channel\":\"/meta/connect\",\"connectionType\":\"long-polling\"");
        }

        private void send(SelectionKey k, String request) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            channel.write(b);
            if (b.hasRemaining()) {
                out = b;
                k.interestOps(k.interestOps() | SelectionKey.OP_WRITE);
            }
        }

        @Override
        public void flushOut(SelectionKey k) throws IOException {
            if (out != null) {
                channel.write(out);
                if (out.hasRemaining()) return;
                out = null;
            }
            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
        }

        @Override
        public void read(ByteBuffer buf) throws IOException {
            for (int i = 0; i < 8; i++) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) {
                    if (rstate == BODY_TO_CLOSE) endOfResponse();
                    fail("server closed the connection");
                    return;
                }
                if (n == 0) return;
                parse(buf.array(), 0, n);
                if (phase == Phase.CLOSED) return;
                if (n < buf.capacity()) return;
            }
        }

        private void parse(byte[] b, int pos, int limit) throws IOException {
            while (pos < limit && phase != Phase.CLOSED) {
                switch (rstate) {
                    case HEAD: {
                        byte c = b[pos++];
                        if (headLen == head.length) {
                            if (head.length >= 65536) {
                                fail("response head too large");
                                return;
                            }
                            head = java.util.Arrays.copyOf(head, head.length * 2);
                        }
                        head[headLen++] = c;
                        if (c == '\n' && headLen >= 4 && head[headLen - 2] == '\r' && head[headLen - 3] == '\n'
                                && head[headLen - 4] == '\r') {
                            parseHead();
                        }
                        break;
                    }
                    case BODY_LENGTH: {
                        int n = (int) Math.min(remaining, limit - pos);
                        body(b, pos, n);
                        pos += n;
                        remaining -= n;
                        if (remaining == 0) endOfResponse();
                        break;
                    }
                    case BODY_TO_CLOSE: {
                        body(b, pos, limit - pos);
                        pos = limit;
                        break;
                    }
                    default: { // chunked
                        if (cstate == C_DATA) {
                            int n = (int) Math.min(chunk, limit - pos);
                            body(b, pos, n);
                            pos += n;
                            chunk -= n;
                            if (chunk == 0) cstate = C_DATA_CR;
                            break;
                        }
                        byte c = b[pos++];
                        switch (cstate) {
                            case C_SIZE:
                                if (c == '\r') cstate = C_SIZE_LF;
                                else if (c == ';') cstate = C_EXT;
                                else chunk = chunk * 16 + Character.digit(c, 16);
                                break;
                            case C_EXT:
                                if (c == '\r') cstate = C_SIZE_LF;
                                break;
                            case C_SIZE_LF:
                                if (chunk == 0) {
                                    cstate = C_TRAILER_START;
                                } else {
                                    cstate = C_DATA;
                                }
                                break;
                            case C_DATA_CR:
                                cstate = C_DATA_LF;
                                break;
                            case C_DATA_LF:
                                cstate = C_SIZE;
                                chunk = 0;
                                break;
                            case C_TRAILER_START:
                                cstate = c == '\r' ? C_TRAILER_LF : C_TRAILER_LINE;
                                break;
                            case C_TRAILER_LINE:
                                if (c == '\n') cstate = C_TRAILER_START;
                                break;
                            case C_TRAILER_LF:
                                endOfResponse();
                                break;
                            default:
                                break;
                        }
                    }
                }
            }
        }

        private void parseHead() throws IOException {
            String h = new String(head, 0, headLen, StandardCharsets.ISO_8859_1);
            headLen = 0;
            if (head.length > 1024) head = new byte[1024];
            String[] lines = h.split("\r\n");
            String[] statusLine = lines[0].split(" ");
            status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
            long length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                } else if (name.equals("set-cookie")) {
                    int semi = value.indexOf(';');
                    String pair = semi < 0 ? value : value.substring(0, semi);
                    cookies = cookies.isEmpty() ? pair : cookies + "; " + pair;
                }
            }
            if (status != 200) {
                fail("HTTP " + status + " in phase " + phase);
                return;
            }
            if (chunked) {
                rstate = BODY_CHUNKED;
                cstate = C_SIZE;
                chunk = 0;
            } else if (length >= 0) {
                rstate = BODY_LENGTH;
                remaining = length;
                if (length == 0) endOfResponse();
            } else {
                rstate = BODY_TO_CLOSE;
            }
        }

        private void body(byte[] b, int off, int len) {
            if (phase == Phase.OPENING_PAGE) {
                pageBody.append(new String(b, off, len, StandardCharsets.UTF_8));
                return;
            }
            if (!ready && len > 0) becomeReady();
            scanner.scan(b, off, len);
        }

        private void endOfResponse() throws IOException {
            rstate = HEAD;
            scanner.flush();
            SelectionKey k = key;
            if (phase == Phase.OPENING_PAGE && target == Target.COMETD_LONG_POLLING) {
                bayeuxAnswer(k, pageBody.toString());
            } else if (phase == Phase.STREAMING && target == Target.COMETD_LONG_POLLING) {
                rerequests++;
                connect(k);
            } else if (phase == Phase.OPENING_PAGE) {
                String json = pageBody.toString();
                pageBody = null;
                int at = json.indexOf("\"page\":\"");
                if (at < 0) {
                    fail("no page in " + json);
                    return;
                }
                page = json.substring(at + 8, json.indexOf('"', at + 8));
                requestStream(k);
            } else if (target != Target.LIMIT_SSE && target != Target.ATMOSPHERE_SSE) {
                rerequests++;
                requestStream(k);
            } else {
                fail("the stream ended");
            }
        }

        private void becomeReady() {
            if (ready) return;
            ready = true;
            up.incrementAndGet();
            releasePermit();
        }

        private void releasePermit() {
            Semaphore s = opening;
            opening = null;
            if (s != null) s.release();
        }

        @Override
        public void fail(String why) {
            if (phase == Phase.CLOSED) return;
            receiver.fail(why);
            if (ready) up.decrementAndGet();
            closeQuietly();
            releasePermit();
        }

        @Override
        public void closeQuietly() {
            if (phase == Phase.CLOSED) return;
            phase = Phase.CLOSED;
            try {
                if (channel != null) {
                    if (channel.isOpen()) channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                    channel.close();
                }
            } catch (IOException | RuntimeException ignored) {
                // closing
            }
        }
    }
}
