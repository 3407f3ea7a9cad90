package io.halley.servlet.internal.stream;

import io.halley.core.transport.Frame;
import java.nio.charset.StandardCharsets;

/**
 * Building one write's bytes without intermediate strings: a format sizes the array exactly
 * ({@link #digits}, {@link #frameLength}), then fills it with its constant pieces, the sequence
 * numbers and each frame's shared command bytes ({@link #putFrame}). One allocation per write,
 * none per frame.
 */
public final class WireBytes {
    static final byte[] FRAME_HEAD = ascii(Frame.HEAD);
    static final byte[] FRAME_MIDDLE = ascii(Frame.MIDDLE);
    static final byte[] FRAME_TAIL = ascii(Frame.TAIL);

    private WireBytes() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Decimal digits of a non-negative {@code v}. */
    static int digits(long v) {
        int n = 1;
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

    /** Bytes of {@code {"seq":N,"cmds":[...]}} for {@code f}. */
    static int frameLength(Frame f) {
        return FRAME_HEAD.length + digits(f.seq()) + FRAME_MIDDLE.length + f.commandsLength() + FRAME_TAIL.length;
    }

    /** Writes {@code {"seq":N,"cmds":[...]}} at {@code at}; returns the position after it. */
    static int putFrame(byte[] dst, int at, Frame f) {
        at = put(dst, at, FRAME_HEAD);
        at = putLong(dst, at, f.seq());
        at = put(dst, at, FRAME_MIDDLE);
        at = f.copyCommands(dst, at);
        return put(dst, at, FRAME_TAIL);
    }

    static int put(byte[] dst, int at, byte[] src) {
        System.arraycopy(src, 0, dst, at, src.length);
        return at + src.length;
    }

    /** Writes a non-negative {@code v} in decimal; returns the position after it. */
    static int putLong(byte[] dst, int at, long v) {
        int end = at + digits(v);
        int i = end;
        do {
            dst[--i] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        return end;
    }
}
