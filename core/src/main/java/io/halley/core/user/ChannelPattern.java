package io.halley.core.user;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A channel name pattern with placeholders: {@code user.{name}} matches {@code user.alice}. A
 * placeholder takes one or more characters other than {@code .}, except one that ends the
 * pattern, which takes the rest of the name, dots included ({@code user.alice.smith} gives
 * {@code name} = {@code alice.smith}), so that no channel under a rule's prefix escapes the rule
 * to the policy's base rule. A pattern without placeholders matches only itself. Placeholder names are identifiers ({@code [A-Za-z][A-Za-z0-9_]*}), each
 * used once. Immutable and thread-safe.
 */
public final class ChannelPattern {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final String text;
    private final Pattern regex;
    private final List<String> names;

    private ChannelPattern(String text, Pattern regex, List<String> names) {
        this.text = text;
        this.regex = regex;
        this.names = names;
    }

    /**
     * Parses {@code pattern}.
     *
     * @throws IllegalArgumentException for an empty pattern, a bad or repeated placeholder name, or
     *         a stray brace
     */
    public static ChannelPattern of(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isEmpty()) throw new IllegalArgumentException("empty channel pattern");
        StringBuilder re = new StringBuilder();
        List<String> names = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(pattern);
        int at = 0;
        while (m.find()) {
            re.append(literal(pattern, pattern.substring(at, m.start())));
            String name = m.group(1);
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("bad placeholder {" + name + "} in channel pattern '" + pattern + "'");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("placeholder {" + name + "} twice in channel pattern '" + pattern + "'");
            }
            names.add(name);
            re.append(m.end() == pattern.length() ? "(.+)" : "([^.]+)");
            at = m.end();
        }
        re.append(literal(pattern, pattern.substring(at)));
        return new ChannelPattern(pattern, Pattern.compile(re.toString()), List.copyOf(names));
    }

    private static String literal(String pattern, String part) {
        if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
            throw new IllegalArgumentException("stray brace in channel pattern '" + pattern + "'");
        }
        return part.isEmpty() ? "" : Pattern.quote(part);
    }

    /** The match of {@code channel}, or null when it does not match. */
    public ChannelMatch match(String channel) {
        Matcher m = regex.matcher(channel);
        if (!m.matches()) return null;
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) values.put(names.get(i), m.group(i + 1));
        return new ChannelMatch(channel, values);
    }

    @Override
    public String toString() {
        return text;
    }
}
