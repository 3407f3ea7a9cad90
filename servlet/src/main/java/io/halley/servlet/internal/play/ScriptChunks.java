package io.halley.servlet.internal.play;

import io.halley.core.Names;
import java.util.regex.Pattern;

/**
 * What a Play-style script stream writes around each message: the initial blank buffer and the
 * {@code <script>callback(argument);</script>} chunk, with an optional CSP nonce. Immutable and
 * thread-safe; the callback and nonce are checked when it is made, since they are written into the
 * page as code.
 */
public final class ScriptChunks {
    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9+/=_-]{1,128}");

    private final String callback;
    private final String nonce;
    private final int padding;

    private ScriptChunks(String callback, String nonce, int padding) {
        this.callback = requireCallback(callback);
        this.nonce = requireNonce(nonce);
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0: " + padding);
        this.padding = padding;
    }

    /**
     * Chunks calling {@code callback} (a dotted JavaScript identifier), with {@code nonce} (or null)
     * on every script tag, after {@code padding} spaces.
     *
     * @throws IllegalArgumentException for a bad callback, nonce or padding, naming the value
     */
    public static ScriptChunks of(String callback, String nonce, int padding) {
        return new ScriptChunks(callback, nonce, padding);
    }

    /** {@code callback} if it is a dotted JavaScript identifier; else IllegalArgumentException. */
    public static String requireCallback(String callback) {
        if (!Names.isDottedIdentifier(callback)) {
            throw new IllegalArgumentException("invalid callback name: '" + callback + "' (a dotted identifier)");
        }
        return callback;
    }

    /** {@code nonce} if it is null or a valid CSP nonce; else IllegalArgumentException. */
    public static String requireNonce(String nonce) {
        if (nonce != null && !NONCE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("invalid CSP nonce: '" + nonce + "'");
        }
        return nonce;
    }

    /** The script chunk for one already-escaped argument. */
    public String chunk(String argument) {
        StringBuilder sb = new StringBuilder(argument.length() + callback.length() + 40);
        sb.append(nonce == null ? "<script>" : "<script nonce=\"" + nonce + "\">");
        return sb.append(callback).append('(').append(argument).append(");</script>\n").toString();
    }

    /** The initial blank buffer. */
    public String preamble() {
        return " ".repeat(padding) + "<html><body>\n";
    }
}
