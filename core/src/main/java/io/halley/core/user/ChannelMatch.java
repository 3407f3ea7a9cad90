package io.halley.core.user;

import java.util.Map;
import java.util.Objects;

/**
 * A channel that matched a {@link io.halley.core.ChannelPolicy} pattern, with the values its
 * placeholders took: {@code user.{name}} matched by {@code user.alice} gives
 * {@code get("name") == "alice"}. Immutable.
 *
 * @param channel the channel name
 * @param values  each placeholder's value
 */
public record ChannelMatch(String channel, Map<String, String> values) {
    public ChannelMatch {
        Objects.requireNonNull(channel, "channel");
        values = Map.copyOf(values);
    }

    /**
     * The value of placeholder {@code name}.
     *
     * @throws IllegalArgumentException when the pattern has no such placeholder
     */
    public String get(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no placeholder {" + name + "} in the pattern matching " + channel);
        return v;
    }
}
