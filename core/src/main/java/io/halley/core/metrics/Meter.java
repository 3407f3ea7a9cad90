package io.halley.core.metrics;

import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * One meter of a {@link HalleyMetrics}: its description (name, kind, unit, meaning, tags) and a
 * live view of its value. Names follow Micrometer's convention (lower-case words joined by dots,
 * {@code halley.} first, the unit not in the name); a meter is identified by its name and tags.
 *
 * <p>Immutable apart from the value it reads; {@link #value()} may be called from any thread,
 * never blocks and costs a few additions.
 */
public final class Meter {

    /** What a meter's value means over time. */
    public enum Kind {
        /** Counts events since the runtime was built; only grows. */
        COUNTER,
        /** A current amount that goes up and down. */
        GAUGE,
        /** Timed events: {@link #value()} counts them, {@link #totalSeconds()} sums their durations. */
        TIMER
    }

    private final String name;
    private final Kind kind;
    private final String unit;
    private final String description;
    private final Map<String, String> tags;
    private final DoubleSupplier value;
    private final DoubleSupplier totalSeconds;

    Meter(String name, Kind kind, String unit, String description, Map<String, String> tags,
          DoubleSupplier value, DoubleSupplier totalSeconds) {
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.unit = Objects.requireNonNull(unit, "unit");
        this.description = Objects.requireNonNull(description, "description");
        this.tags = Map.copyOf(tags);
        this.value = Objects.requireNonNull(value, "value");
        this.totalSeconds = totalSeconds;
    }

    /** The name, for example {@code halley.streams.held}. */
    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** The base unit of {@link #value()} (for a timer, of the count): {@code pages}, {@code frames}, {@code bytes} … */
    public String unit() {
        return unit;
    }

    /** One sentence saying what the meter counts or measures. */
    public String description() {
        return description;
    }

    /** The tags (for example {@code transport=sse}); empty for most meters. */
    public Map<String, String> tags() {
        return tags;
    }

    /** The tag {@code key}'s value, or null. */
    public String tag(String key) {
        return tags.get(key);
    }

    /** A counter's count, a gauge's current amount, a timer's number of timed events. */
    public double value() {
        return value.getAsDouble();
    }

    /** A timer's total time in seconds; 0 for the other kinds. */
    public double totalSeconds() {
        return totalSeconds == null ? 0 : totalSeconds.getAsDouble();
    }

    /**
     * The name of this meter's attribute on the JMX MBean: the name without {@code halley.},
     * then each tag value after a dot ({@code streams.held.sse}).
     */
    public String attributeName() {
        StringBuilder b = new StringBuilder(name.substring(name.startsWith("halley.") ? 7 : 0));
        tags.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append('.').append(e.getValue()));
        return b.toString();
    }

    @Override
    public String toString() {
        return name + (tags.isEmpty() ? "" : tags.toString()) + " = " + value()
                + (kind == Kind.TIMER ? " (" + totalSeconds() + " s)" : "");
    }
}
