package io.halley.core.command;

import java.util.Locale;

/** How {@link Command.Attr} combines its value with the attribute's current value. */
public enum AttrMode {
    /** The value replaces the attribute. */
    REPLACE,
    /** The value is appended to the current attribute value. */
    APPEND,
    /** The value is prepended to the current attribute value. */
    PREPEND;

    /** The lower-case name used on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
