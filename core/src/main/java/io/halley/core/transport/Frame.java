package io.halley.core.transport;

import io.halley.core.Page;
import java.nio.charset.StandardCharsets;

/**
 * One flush of a page (one {@code Page.flush}, one channel round, one callback step): a sequence number and its commands as an encoded JSON array in
 * UTF-8. Immutable and shared: the command bytes of a channel message are encoded once and the
 * same array is referenced by the frame of every page it reaches; only the sequence differs, so
 * a page pays one small object per frame and no copy of the message.
 *
 * <p>The command bytes are HTML-safe JSON ({@code < > &} and U+2028/U+2029 escaped) with no raw
 * line break, as the runtime's command encoder writes them; transports place them as they are.
 *
 * <p>Wire form: {@code {"seq":N,"cmds":[...]}} ({@link #toJson()}, or {@link #HEAD} + the
 * sequence + {@link #MIDDLE} + {@link #copyCommands} + {@link #TAIL} for a transport writing bytes).
 */
public final class Frame {
    /** The bytes before the sequence: {@code {"seq":}. */
    public static final String HEAD = "{\"seq\":";
    /** The bytes between the sequence and the commands: {@code ,"cmds":}. */
    public static final String MIDDLE = ",\"cmds\":";
    /** The byte after the commands: <code>}</code>. */
    public static final String TAIL = "}";

    private final long seq;
    private final byte[] commands; // shared, never modified

    /**
     * A frame of sequence {@code seq} over {@code commandsUtf8}, an encoded command array as
     * described above. The array is shared, not copied: neither the caller nor anyone else may
     * modify it afterwards. Made by the runtime's outbox; transports and their tests may build
     * frames to exercise a wire format.
     */
    public Frame(long seq, byte[] commandsUtf8) {
        this.seq = seq;
        this.commands = java.util.Objects.requireNonNull(commandsUtf8, "commandsUtf8");
    }

    /** The per-page sequence number, 1, 2, 3 … (0 or more for a synthetic resync frame). */
    public long seq() {
        return seq;
    }

    /** The commands as an HTML-safe JSON array, for example {@code [{"op":"update",...}]} (decoded on each call). */
    public String commandsJson() {
        return new String(commands, StandardCharsets.UTF_8);
    }

    /** Length in bytes of the UTF-8 command array. */
    public int commandsLength() {
        return commands.length;
    }

    /**
     * Copies the UTF-8 command array into {@code dst} at {@code at}; the caller sized {@code dst}
     * with {@link #commandsLength()}.
     *
     * @return the position after the copied bytes
     */
    public int copyCommands(byte[] dst, int at) {
        System.arraycopy(commands, 0, dst, at, commands.length);
        return at + commands.length;
    }

    /** The frame as HTML-safe JSON with no raw line breaks, ready for SSE, a script chunk or a poll body. */
    public String toJson() {
        return new StringBuilder(commands.length + 24)
                .append(HEAD).append(seq).append(MIDDLE).append(commandsJson()).append(TAIL)
                .toString();
    }

    @Override
    public String toString() {
        return "Frame[" + seq + "]";
    }
}
