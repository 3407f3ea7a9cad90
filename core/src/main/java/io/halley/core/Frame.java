package io.halley.core;

import java.nio.charset.StandardCharsets;

/**
 * One flush of a page's outbox: a sequence number and its commands as an encoded JSON array in
 * UTF-8. Immutable and shared: the command bytes of a channel message are encoded once and the
 * same array is referenced by the frame of every page it reaches; only the sequence differs, so
 * a page pays one small object per frame and no copy of the message.
 *
 * <p>The command bytes are HTML-safe JSON ({@code < > &} and U+2028/U+2029 escaped) with no raw
 * line break, as {@link Json#encodeCommands} writes them; transports place them as they are.
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

    Frame(long seq, byte[] commandsUtf8) {
        this.seq = seq;
        this.commands = commandsUtf8;
    }

    /** Encodes {@code commandsJson} once, for frames that share it. */
    static byte[] utf8(String commandsJson) {
        return commandsJson.getBytes(StandardCharsets.UTF_8);
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

    /** Buffer accounting size of this frame in bytes (the shared command bytes plus the envelope). */
    int weight() {
        return weight(commands);
    }

    /** The accounting size of a frame of {@code commandsUtf8}. */
    static int weight(byte[] commandsUtf8) {
        return commandsUtf8.length + 24;
    }

    @Override
    public String toString() {
        return "Frame[" + seq + "]";
    }
}
