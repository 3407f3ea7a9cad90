package io.halley.bench.load;

/**
 * A streaming scanner that finds the bench messages in a client's bytes whatever the framing
 * (SSE events, {@code <script>} chunks, poll JSON, Bayeux answers, WebSocket text payloads): it
 * reports each {@code "bn":N} followed by {@code "bt":T} to its {@link Receiver}, counts a
 * {@code resync} command, and remembers the highest Halley frame {@code "seq":S} (the resume
 * point of the next request). Bytes may be split anywhere between calls, but only body or
 * payload bytes may be fed (never a framing header, whose bytes could extend a number). One
 * thread at a time.
 */
final class MessageScanner {
    private static final long MASK5 = 0xFF_FFFF_FFFFL;
    private static final long MASK6 = 0xFFFF_FFFF_FFFFL;
    private static final long KEY_BN = pack("\"bn\":");
    private static final long KEY_BT = pack("\"bt\":");
    private static final long KEY_SEQ = pack("\"seq\":");
    private static final long KEY_RESYNC = pack("resync");

    private final Receiver receiver;
    private long window;
    private int numKey;
    private long num;
    private long bn;
    private long lastSeq;

    MessageScanner(Receiver receiver) {
        this.receiver = receiver;
    }

    private static long pack(String s) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) v = (v << 8) | s.charAt(i);
        return v;
    }

    /** The highest frame sequence seen so far (0 before any). */
    long lastSeq() {
        return lastSeq;
    }

    /** Scans {@code len} bytes of {@code b} from {@code off}. */
    void scan(byte[] b, int off, int len) {
        long w = window;
        for (int i = off, end = off + len; i < end; i++) {
            int c = b[i] & 0xFF;
            if (numKey != 0) {
                if (c >= '0' && c <= '9') {
                    num = num * 10 + (c - '0');
                    w = (w << 8) | c;
                    continue;
                }
                endNumber();
            }
            w = (w << 8) | c;
            if (c == ':') {
                if ((w & MASK5) == KEY_BN) {
                    numKey = 1;
                    num = 0;
                } else if ((w & MASK5) == KEY_BT) {
                    numKey = 2;
                    num = 0;
                } else if ((w & MASK6) == KEY_SEQ) {
                    numKey = 3;
                    num = 0;
                }
            } else if (c == 'c' && (w & MASK6) == KEY_RESYNC) {
                receiver.resync();
            }
        }
        window = w;
    }

    /** Ends a number the bytes stopped in (a response ended right after it). */
    void flush() {
        if (numKey != 0) endNumber();
    }

    private void endNumber() {
        switch (numKey) {
            case 1:
                bn = num;
                break;
            case 2:
                receiver.message(bn, num);
                break;
            case 3:
                if (num > lastSeq) lastSeq = num;
                break;
            default:
                break;
        }
        numKey = 0;
    }
}
