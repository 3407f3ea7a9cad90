package io.halley.core;

import java.util.regex.Pattern;

/** Validation of the names that cross the wire: channels, pools, client functions. */
public final class Names {
    private static final Pattern DOTTED_IDENTIFIER =
            Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{0,63}(\\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,7}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/@-]{0,127}");
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/@-]{0,127}");

    private Names() {
    }

    /** True for a JavaScript dotted identifier such as {@code app.onMessage} (max 8 parts). */
    public static boolean isDottedIdentifier(String s) {
        return s != null && DOTTED_IDENTIFIER.matcher(s).matches();
    }

    /**
     * True for a valid channel name: 1–128 characters of letters, digits and {@code _ . : / @ -},
     * not starting with a punctuation character.
     */
    public static boolean isChannel(String s) {
        return s != null && CHANNEL.matcher(s).matches();
    }

    /** Fails with a {@link HalleyException} of kind BAD_INPUT naming the bad channel. */
    public static String requireChannel(String s) {
        if (!isChannel(s)) {
            throw new HalleyException(HalleyException.Kind.BAD_INPUT,
                    "invalid channel name: '" + abbreviate(s) + "' (1-128 of A-Z a-z 0-9 _ . : / @ -)");
        }
        return s;
    }

    /** Fails with {@link IllegalArgumentException} naming the bad pool name. */
    public static String requirePool(String s) {
        if (s == null || !POOL.matcher(s).matches()) {
            throw new IllegalArgumentException("invalid pool name: '" + abbreviate(s) + "'");
        }
        return s;
    }

    /** {@code s} cut to 64 characters (with an ellipsis), for error messages and logs; "null" for null. */
    public static String abbreviate(String s) {
        if (s == null) return "null";
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
