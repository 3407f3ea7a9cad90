package io.halley.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The WebSocket load generator: the {@link NioClients} design (plain NIO on one or two
 * {@link SelectorLoop}s, thousands of sockets in a few tens of MB, the same {@link MessageScanner}
 * over the message bytes) speaking RFC 6455 itself: the opening handshake ({@code Upgrade:
 * websocket}, a random {@code Sec-WebSocket-Key}, the {@code Sec-WebSocket-Accept} checked), then
 * server frames parsed by a state machine (7/16/64-bit lengths, text messages fragmented or not,
 * pings answered with a masked pong, a close frame counted as a failure). Only text payload bytes
 * reach the scanner. Written by hand rather than on Jetty's WebSocket client so that the limit and
 * Halley meet the same lean reader as on SSE, with no per-message objects or UTF-8 decoding
 * on the client side (Jetty's client hands each text message over as a {@code String}), which
 * keeps the load generator off the critical path at 1,000–10,000 sockets.
 *
 * <p>Against Halley each connection is one browser page: {@code POST /halley/page} (cookies, a
 * page the server's page listener subscribes to the bench channel), then on the same connection
 * {@code GET /halley/ws?page=P&since=0} upgraded, with the server's own {@code Origin} as a browser
 * sends it. Against the limit: {@code GET /ws} upgraded.
 */
public final class WsClients implements Clients {
    private static final int CONCURRENT_OPENS = 256;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final InetSocketAddress address;
    private final String host;
    private final boolean halley;
    private final Tally tally = new Tally();
    private final SelectorLoop[] loops;
    private final AtomicInteger up = new AtomicInteger();
    private int next;

    /** {@code halley}: a page and {@code /halley/ws}; else the limit's {@code /ws}. */
    public WsClients(int port, boolean halley, int threads) throws IOException {
        this.address = new InetSocketAddress("127.0.0.1", port);
        this.host = "127.0.0.1:" + port;
        this.halley = halley;
        this.loops = new SelectorLoop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new SelectorLoop("ws-client-" + i);
            loops[i].thread.start();
        }
    }

    @Override
    public int open(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore opening = new Semaphore(CONCURRENT_OPENS);
        List<Socket> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (!opening.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
            Socket c = new Socket(tally.newReceiver(), opening);
            batch.add(c);
            loops[next++ % loops.length].add(c);
        }
        opening.tryAcquire(CONCURRENT_OPENS, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        int ok = 0;
        for (Socket c : batch) if (c.ready && !c.receiver.failed) ok++;
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

    @Override
    public void close() {
        SelectorLoop.closeAll(loops);
    }

    static String accept(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private enum Phase { CONNECTING, OPENING_PAGE, UPGRADING, FRAMES, CLOSED }

    /** Frame parser states. */
    private static final int F_OP = 0, F_LEN = 1, F_EXT = 2, F_PAYLOAD = 3;
    private static final int OP_CONT = 0, OP_TEXT = 1, OP_CLOSE = 8, OP_PING = 9;

    private final class Socket implements SelectorLoop.Conn {
        final Receiver receiver;
        private final MessageScanner scanner;
        private Semaphore opening;
        private SocketChannel channel;
        private SelectionKey key;
        private Phase phase = Phase.CONNECTING;
        volatile boolean ready;
        private ByteBuffer out;
        // HTTP heads and the page's body
        private byte[] head = new byte[512];
        private int headLen;
        private long bodyLeft = -1;
        private StringBuilder pageBody;
        private String cookies = "";
        private String wsKey;
        // the frame being parsed
        private int fstate = F_OP;
        private int opcode;
        private int messageOp;   // the opcode of the message a continuation belongs to
        private int extLeft;
        private long payloadLeft;
        private byte[] control;  // a control frame's payload (at most 125 bytes)
        private int controlLen;

        Socket(Receiver receiver, Semaphore opening) {
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
                    onConnected();
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
            onConnected();
        }

        private void onConnected() throws IOException {
            if (halley) {
                phase = Phase.OPENING_PAGE;
                pageBody = new StringBuilder(128);
                send(("POST /halley/page HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            } else {
                upgrade("/ws");
            }
        }

        private void upgrade(String path) throws IOException {
            phase = Phase.UPGRADING;
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            wsKey = Base64.getEncoder().encodeToString(nonce);
            send(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + wsKey + "\r\nSec-WebSocket-Version: 13\r\nOrigin: http://" + host + "\r\n"
                    + (cookies.isEmpty() ? "" : "Cookie: " + cookies + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        private void send(byte[] bytes) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (out != null) { // a pong behind an unfinished write: queue it after
                ByteBuffer both = ByteBuffer.allocate(out.remaining() + b.remaining());
                both.put(out).put(b).flip();
                out = both;
                return;
            }
            channel.write(b);
            if (b.hasRemaining()) {
                out = b;
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
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
                    fail("server closed the connection in phase " + phase);
                    return;
                }
                if (n == 0) return;
                byte[] b = buf.array();
                int pos = 0;
                while (pos < n && phase != Phase.CLOSED) {
                    pos = phase == Phase.FRAMES ? frames(b, pos, n) : http(b, pos, n);
                }
                if (phase == Phase.CLOSED || n < buf.capacity()) return;
            }
        }

        /** The page's response or the upgrade's; returns where it stopped. */
        private int http(byte[] b, int pos, int limit) throws IOException {
            if (bodyLeft >= 0) {
                int len = (int) Math.min(bodyLeft, limit - pos);
                pageBody.append(new String(b, pos, len, StandardCharsets.UTF_8));
                bodyLeft -= len;
                if (bodyLeft == 0) pageOpened();
                return pos + len;
            }
            while (pos < limit) {
                byte c = b[pos++];
                if (headLen == head.length) {
                    if (head.length >= 65536) {
                        fail("response head too large");
                        return limit;
                    }
                    head = java.util.Arrays.copyOf(head, head.length * 2);
                }
                head[headLen++] = c;
                if (c == '\n' && headLen >= 4 && head[headLen - 2] == '\r' && head[headLen - 3] == '\n' && head[headLen - 4] == '\r') {
                    String h = new String(head, 0, headLen, StandardCharsets.ISO_8859_1);
                    headLen = 0;
                    head(h);
                    return pos;
                }
            }
            return pos;
        }

        private void head(String h) {
            String[] lines = h.split("\r\n");
            String[] statusLine = lines[0].split(" ");
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
            long length = -1;
            String acceptHeader = null;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) continue;
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                if (name.equals("content-length")) length = Long.parseLong(value);
                else if (name.equals("sec-websocket-accept")) acceptHeader = value;
                else if (name.equals("set-cookie")) {
                    int semi = value.indexOf(';');
                    String pair = semi < 0 ? value : value.substring(0, semi);
                    cookies = cookies.isEmpty() ? pair : cookies + "; " + pair;
                }
            }
            if (phase == Phase.OPENING_PAGE) {
                if (status != 200 || length < 0) {
                    fail("POST /halley/page: HTTP " + status + (length < 0 ? " without Content-Length" : ""));
                    return;
                }
                bodyLeft = length;
                if (length == 0) pageOpened();
            } else if (status != 101) {
                fail("upgrade refused: HTTP " + status);
            } else if (!accept(wsKey).equals(acceptHeader)) {
                fail("wrong Sec-WebSocket-Accept " + acceptHeader);
            } else {
                phase = Phase.FRAMES;
                ready = true;
                up.incrementAndGet();
                releasePermit();
            }
        }

        private void pageOpened() {
            bodyLeft = -1;
            String json = pageBody.toString();
            pageBody = null;
            int at = json.indexOf("\"page\":\"");
            if (at < 0) {
                fail("no page in " + json);
                return;
            }
            try {
                upgrade("/halley/ws?page=" + json.substring(at + 8, json.indexOf('"', at + 8)) + "&since=0");
            } catch (IOException e) {
                fail("upgrade: " + e);
            }
        }

        /** Server frames (never masked); returns where it stopped. */
        private int frames(byte[] b, int pos, int limit) throws IOException {
            while (pos < limit && phase != Phase.CLOSED) {
                switch (fstate) {
                    case F_OP: {
                        int c = b[pos++] & 0xFF;
                        if ((c & 0x70) != 0) {
                            fail("a frame with RSV bits (no extension was negotiated)");
                            return limit;
                        }
                        opcode = c & 0x0F;
                        if (opcode == OP_TEXT || opcode == 2) messageOp = opcode;
                        fstate = F_LEN;
                        break;
                    }
                    case F_LEN: {
                        int c = b[pos++] & 0xFF;
                        if ((c & 0x80) != 0) {
                            fail("a masked server frame");
                            return limit;
                        }
                        int len7 = c & 0x7F;
                        payloadLeft = len7 < 126 ? len7 : 0;
                        extLeft = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
                        fstate = extLeft > 0 ? F_EXT : F_PAYLOAD;
                        if (extLeft == 0) beginPayload();
                        break;
                    }
                    case F_EXT: {
                        payloadLeft = (payloadLeft << 8) | (b[pos++] & 0xFF);
                        if (--extLeft == 0) {
                            fstate = F_PAYLOAD;
                            beginPayload();
                        }
                        break;
                    }
                    default: {
                        int n = (int) Math.min(payloadLeft, limit - pos);
                        if (opcode >= 8) {
                            System.arraycopy(b, pos, control, controlLen, n);
                            controlLen += n;
                        } else if ((opcode == OP_TEXT || opcode == OP_CONT) && messageOp == OP_TEXT) {
                            scanner.scan(b, pos, n);
                        }
                        pos += n;
                        payloadLeft -= n;
                        if (payloadLeft == 0) endFrame();
                    }
                }
            }
            return pos;
        }

        private void beginPayload() throws IOException {
            if (opcode >= 8) {
                if (payloadLeft > 125) {
                    fail("a control frame of " + payloadLeft + " bytes");
                    return;
                }
                control = new byte[(int) payloadLeft];
                controlLen = 0;
            }
            if (payloadLeft == 0) endFrame();
        }

        private void endFrame() throws IOException {
            fstate = F_OP;
            if (opcode == OP_PING) {
                send(masked(0x8A, control, controlLen));
            } else if (opcode == OP_CLOSE) {
                int code = controlLen >= 2 ? ((control[0] & 0xFF) << 8) | (control[1] & 0xFF) : 1005;
                fail("the server closed the WebSocket: " + code
                        + (controlLen > 2 ? " " + new String(control, 2, controlLen - 2, StandardCharsets.UTF_8) : ""));
            }
        }

        /** A client frame: FIN + opcode {@code first}, masked payload. */
        private byte[] masked(int first, byte[] payload, int len) {
            byte[] f = new byte[6 + len];
            f[0] = (byte) first;
            f[1] = (byte) (0x80 | len);
            int mask = ThreadLocalRandom.current().nextInt();
            for (int i = 0; i < 4; i++) f[2 + i] = (byte) (mask >>> (24 - 8 * i));
            for (int i = 0; i < len; i++) f[6 + i] = (byte) (payload[i] ^ f[2 + (i & 3)]);
            return f;
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
