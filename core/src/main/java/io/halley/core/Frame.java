package io.halley.core;

/**
 * One flush of a page's outbox: a sequence number and its commands as an encoded JSON array.
 * Immutable and shared: the command bytes of a channel message are encoded once and shared by
 * every page it reaches; only the sequence header differs.
 *
 * <p>Wire form: {@code {"seq":N,"cmds":[...]}} (see {@link #toJson()}).
 */
public final class Frame {
    private final long seq;
    private final String commandsJson;

    Frame(long seq, String commandsJson) {
        this.seq = seq;
        this.commandsJson = commandsJson;
    }

    /** The per-page sequence number, 1, 2, 3 … (0 or more for a synthetic resync frame). */
    public long seq() {
        return seq;
    }

    /** The commands as an HTML-safe JSON array, for example {@code [{"op":"update",...}]}. */
    public String commandsJson() {
        return commandsJson;
    }

    /** The frame as HTML-safe JSON with no raw line breaks, ready for SSE, a script chunk or a poll body. */
    public String toJson() {
        return new StringBuilder(commandsJson.length() + 24)
                .append("{\"seq\":").append(seq).append(",\"cmds\":").append(commandsJson).append('}')
                .toString();
    }

    /** Buffer accounting size of this frame in characters. */
    int weight() {
        return commandsJson.length() + 24;
    }

    @Override
    public String toString() {
        return "Frame[" + seq + "]";
    }
}
