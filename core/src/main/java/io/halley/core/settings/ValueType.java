package io.halley.core.settings;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The type of a setting as documentation shows it, how an init-param writes a value of it, how
 * such a text is parsed, and how a default value is shown. Immutable and thread-safe.
 *
 * @param <T> the Java type of the values
 */
public final class ValueType<T> {
    /** ISO-8601 ({@code PT20S}) or a number of seconds ({@code 20}, {@code 0.25}). */
    public static final ValueType<Duration> DURATION = new ValueType<>("Duration",
            "ISO-8601 (`PT20S`, `PT10M`) or seconds (`20`, `0.25`)", ValueType::parseDuration, ValueType::showDuration);
    /** A count, written as a plain integer. */
    public static final ValueType<Integer> INT = new ValueType<>("int", "a plain integer (`1000`)",
            Integer::valueOf, n -> String.format(Locale.ROOT, "%,d", n));
    /** A size in bytes, written as a plain integer. */
    public static final ValueType<Integer> INT_BYTES = new ValueType<>("int (bytes)", "int", "a plain integer (`65536`)",
            Integer::valueOf, n -> showBytes(n));
    /** A size in bytes, written as a plain integer. */
    public static final ValueType<Long> LONG_BYTES = new ValueType<>("long (bytes)", "long", "a plain integer (`1048576`)",
            Long::valueOf, ValueType::showBytes);
    /** {@code true} or {@code false}. */
    public static final ValueType<Boolean> BOOLEAN = new ValueType<>("boolean", "`true` or `false`",
            ValueType::parseBoolean, b -> "`" + b + "`");
    /** Text, taken as it is written (trimmed). */
    public static final ValueType<String> STRING = new ValueType<>("String", "the text itself", s -> s, s -> "`" + s + "`");

    private final String name;
    private final String javaName;
    private final String form;
    private final Function<String, T> parser;
    private final Function<? super T, String> shower;

    private ValueType(String name, String form, Function<String, T> parser, Function<? super T, String> shower) {
        this(name, name, form, parser, shower);
    }

    private ValueType(String name, String javaName, String form, Function<String, T> parser,
            Function<? super T, String> shower) {
        this.name = Objects.requireNonNull(name, "name");
        this.javaName = Objects.requireNonNull(javaName, "javaName");
        this.form = form;
        this.parser = parser;
        this.shower = Objects.requireNonNull(shower, "shower");
    }

    /** An enum, written as one of its constant names in any case. */
    public static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
        String names = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        String form = Arrays.stream(type.getEnumConstants()).map(e -> "`" + e.name() + "`").collect(Collectors.joining(", "))
                + " (any case)";
        return new ValueType<>(type.getSimpleName(), form, s -> {
            for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(s)) return e;
            throw new IllegalArgumentException("not one of " + names);
        }, e -> "`" + e.name() + "`");
    }

    /** A list of texts, written separated by commas or spaces. */
    public static ValueType<List<String>> list() {
        return new ValueType<>("List<String>", "items separated by commas or spaces",
                s -> Arrays.stream(s.split("[,\\s]+")).filter(x -> !x.isEmpty()).toList(),
                l -> l.isEmpty() ? "none" : l.toString());
    }

    /** A type that only code can set (an object): no init-param form. */
    public static <T> ValueType<T> code(String name) {
        return new ValueType<>(name, null, null, String::valueOf);
    }

    /** The type as documentation shows it. */
    public String name() {
        return name;
    }

    /** The Java type of a builder method's parameter. */
    public String javaName() {
        return javaName;
    }

    /** How an init-param writes a value (Markdown), or null when only code can set it. */
    public String form() {
        return form;
    }

    /** Whether {@link #parse} can read a value from text. */
    public boolean parsable() {
        return parser != null;
    }

    /**
     * Reads a value from (trimmed) text.
     *
     * @throws IllegalArgumentException (or {@link java.time.format.DateTimeParseException},
     *         {@link ArithmeticException}) for text that is not a value; {@link IllegalStateException}
     *         for a type that only code can set
     */
    public T parse(String text) {
        if (parser == null) throw new IllegalStateException(name + " cannot be read from text");
        return parser.apply(text);
    }

    /** A value as documentation shows it. */
    public String show(T value) {
        return shower.apply(value);
    }

    /** ISO-8601 ({@code PT20S}) or a number of seconds ({@code 20}, {@code 0.25}). */
    static Duration parseDuration(String v) {
        if (v.isEmpty()) throw new IllegalArgumentException("empty duration");
        char c = v.charAt(0);
        if (c == 'P' || c == 'p' || c == '-' && v.length() > 1 && (v.charAt(1) == 'P' || v.charAt(1) == 'p')) {
            return Duration.parse(v);
        }
        BigDecimal seconds = new BigDecimal(v);
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }

    private static boolean parseBoolean(String v) {
        if (v.equalsIgnoreCase("true")) return true;
        if (v.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("true or false");
    }

    static String showDuration(Duration d) {
        long s = d.getSeconds();
        int nanos = d.getNano();
        if (nanos == 0 && s != 0 && s % 60 == 0) return s / 60 + " min";
        if (nanos == 0) return s + " s";
        if (s == 0 && nanos % 1_000_000 == 0) return nanos / 1_000_000 + " ms";
        return d.toString();
    }

    static String showBytes(long n) {
        if (n > 0 && n % (1 << 20) == 0) return n / (1 << 20) + " MiB";
        if (n > 0 && n % 1024 == 0) return n / 1024 + " KiB";
        return String.format(Locale.ROOT, "%,d bytes", n);
    }

    @Override
    public String toString() {
        return name;
    }
}
