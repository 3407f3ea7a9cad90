package io.halley.spring.internal;

import io.halley.core.settings.Setting;
import io.halley.core.settings.SettingGroup;
import io.halley.core.settings.ValueType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * {@code halley.*} configuration properties read from the setting declarations
 * ({@link SettingGroup}): every setting that can be set from text is a property, named after its
 * init-param (or, without one, its name) in kebab case under a prefix: {@code halley.page-lease},
 * {@code halley.heartbeat}, {@code halley.redis.key-prefix}. Nothing is declared twice: a setting
 * added to a group is a property at once, and {@link ConfigurationMetadata} lists it for IDEs.
 * Values are read with Spring Boot's relaxed binding (so {@code HALLEY_PAGELEASE} in the
 * environment works too) in the setting's own text form, or in Spring Boot's: {@code 20s},
 * {@code 500ms} for durations, {@code 1MB} for sizes, YAML lists for lists. Stateless.
 */
public final class SettingProperties {

    private SettingProperties() {
    }

    /** The property that sets {@code setting} under {@code prefix}. */
    public static String key(String prefix, Setting<?, ?> setting) {
        return prefix + "." + kebab(setting.initParam() != null ? setting.initParam() : setting.name());
    }

    /** {@code pageLease} to {@code page-lease}. */
    static String kebab(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) b.append('-').append(Character.toLowerCase(c));
            else b.append(c);
        }
        return b.toString();
    }

    /**
     * Applies every property of {@code group} set in {@code env} to {@code builder}.
     *
     * @throws IllegalArgumentException naming the property and its value (not shown for a secret)
     */
    public static <B> void apply(Environment env, String prefix, SettingGroup<B> group, B builder) {
        Binder binder = Binder.get(env);
        for (Setting<B, ?> s : group.settings()) {
            if (!s.textSettable()) continue;
            String key = key(prefix, s);
            String text = read(binder, key, s);
            if (text == null) continue;
            try {
                s.applyText(builder, normalise(s.type(), text.trim()));
            } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
                String shown = s.secret() ? "(not shown)" : "'" + text + "'";
                throw new IllegalArgumentException("property " + key + ": bad value " + shown + " (" + e.getMessage() + ")", e);
            }
        }
    }

    /** Whether any property of {@code group} is set. */
    public static boolean anySet(Environment env, String prefix, SettingGroup<?> group) {
        Binder binder = Binder.get(env);
        for (Setting<?, ?> s : group.settings()) {
            if (s.textSettable() && read(binder, key(prefix, s), s) != null) return true;
        }
        return false;
    }

    private static String read(Binder binder, String key, Setting<?, ?> s) {
        if (s.type().javaName().startsWith("List")) {
            return binder.bind(key, Bindable.listOf(String.class)).map(l -> String.join(",", l)).orElse(null);
        }
        return binder.bind(key, String.class).orElse(null);
    }

    /** Spring Boot's forms ({@code 20s}, {@code 1MB}) to the setting's own, which is tried first. */
    private static String normalise(ValueType<?> type, String text) {
        if (type == ValueType.DURATION) {
            try {
                type.parse(text);
                return text;
            } catch (RuntimeException notOurs) {
                Duration d = DurationStyle.detectAndParse(text.toLowerCase(Locale.ROOT));
                return d.toString();
            }
        }
        if (type == ValueType.INT_BYTES || type == ValueType.LONG_BYTES) {
            if (text.chars().allMatch(Character::isDigit)) return text;
            return Long.toString(DataSize.parse(text).toBytes());
        }
        return text;
    }

    /** The settings of {@code group} that are properties, in declaration order. */
    public static <B> List<Setting<B, ?>> properties(SettingGroup<B> group) {
        return group.settings().stream().filter(Setting::textSettable).toList();
    }
}
