package io.halley.core.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.ExecutorMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Declarations: text forms, checks naming the setting and the value, secrets, and one name per setting. */
class SettingTest {
    /** A builder of one value, as the settings classes' builders are. */
    static final class Target {
        Duration timeout;
        String token;

        void timeout(Duration d) { this.timeout = d; }

        void token(String t) { this.token = t; }
    }

    @Test
    void durationsAreIsoOrSecondsAndShowInTheirLargestWholeUnit() {
        assertEquals(Duration.ofSeconds(20), ValueType.DURATION.parse("PT20S"));
        assertEquals(Duration.ofSeconds(20), ValueType.DURATION.parse("20"));
        assertEquals(Duration.ofMillis(250), ValueType.DURATION.parse("0.25"));
        assertEquals(Duration.ofSeconds(-1), ValueType.DURATION.parse("-PT1S"));
        assertThrows(DateTimeParseException.class, () -> ValueType.DURATION.parse("PTsoon"));
        assertThrows(NumberFormatException.class, () -> ValueType.DURATION.parse("soon"));
        assertThrows(ArithmeticException.class, () -> ValueType.DURATION.parse("0.0000000001"));
        assertEquals("10 min", ValueType.DURATION.show(Duration.ofMinutes(10)));
        assertEquals("90 s", ValueType.DURATION.show(Duration.ofSeconds(90)));
        assertEquals("100 ms", ValueType.DURATION.show(Duration.ofMillis(100)));
        assertEquals("PT1.5S", ValueType.DURATION.show(Duration.ofMillis(1500)));
    }

    @Test
    void valuesOfEachTypeParseAndShow() {
        assertEquals(ExecutorMode.PLATFORM, ValueType.enumOf(ExecutorMode.class).parse("platform"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ValueType.enumOf(ExecutorMode.class).parse("green"));
        assertTrue(e.getMessage().contains("AUTO, VIRTUAL, PLATFORM"), e.getMessage());
        assertTrue(ValueType.BOOLEAN.parse("TRUE"));
        assertThrows(IllegalArgumentException.class, () -> ValueType.BOOLEAN.parse("yes"));
        assertEquals(List.of("a", "b", "c"), ValueType.list().parse("a, b c,,"));
        assertEquals("1 MiB", ValueType.LONG_BYTES.show(1L << 20));
        assertEquals("64 KiB", ValueType.INT_BYTES.show(65536));
        assertEquals("1,000 bytes", ValueType.INT_BYTES.show(1000));
        assertEquals("100,000", ValueType.INT.show(100_000));
        assertFalse(ValueType.code("Hub").parsable());
        assertThrows(IllegalStateException.class, () -> ValueType.code("Hub").parse("x"));
    }

    @Test
    void aBadValueFailsNamingTheSettingTheRuleAndTheValue() {
        SettingGroup<Target> g = SettingGroup.of("Test", "Target.builder()", "About.");
        Setting<Target, Duration> timeout = g.define("timeout", ValueType.DURATION).defaultValue(Duration.ofSeconds(5))
                .check("a positive duration", d -> !d.isNegative() && !d.isZero()).meaning("how long")
                .setter(Target::timeout).initParam().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> timeout.check(Duration.ZERO));
        assertEquals("timeout must be a positive duration: PT0S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> timeout.check(null));
        assertEquals("timeout must not be null", e.getMessage());
        Target t = new Target();
        timeout.applyInitParam(t, "2");
        assertEquals(Duration.ofSeconds(2), t.timeout);
        assertThrows(IllegalArgumentException.class, () -> timeout.applyInitParam(t, "-1"), "checked before it is set");
        assertEquals(Duration.ofSeconds(2), t.timeout);
        assertEquals("5 s", timeout.defaultText());
        assertEquals("`timeout(Duration)`", timeout.builderMethod());
        assertEquals(timeout, g.byInitParam("timeout"));
    }

    @Test
    void aSecretValueIsNeverShown() {
        SettingGroup<Target> g = SettingGroup.of("Test", "Target.builder()", "About.");
        Setting<Target, String> token = g.define("token", ValueType.STRING).noDefault("none")
                .check("at least 8 characters", s -> s.length() >= 8).secret().meaning("a token")
                .setter(Target::token).initParam().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> token.check("hunter2"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertNull(token.check(null), "optional: null is no value");
        assertNull(token.defaultValue());
    }

    @Test
    void aNameOrInitParamDeclaredTwiceIsRefused() {
        SettingGroup<Target> g = SettingGroup.of("Test", "Target.builder()", "About.");
        g.define("timeout", ValueType.DURATION).defaultValue(Duration.ofSeconds(1)).meaning("m").build();
        assertThrows(IllegalStateException.class,
                () -> g.define("timeout", ValueType.DURATION).defaultValue(Duration.ofSeconds(1)).meaning("m").build());
        assertThrows(IllegalStateException.class, () -> g.define("nothing", ValueType.INT).meaning("m").build(),
                "a setting without a default is refused");
        assertThrows(IllegalStateException.class,
                () -> g.define("hub", ValueType.code("Hub")).noDefault("none").meaning("m").setter((b, v) -> { }).initParam(),
                "a type without a text form has no init-param");
    }
}
