/**
 * Setting declarations: the one place where each setting of Halley's settings classes
 * ({@code HalleyConfig} for {@code Halley.Builder}, {@code CometSettings}, {@code RedisSettings})
 * is named, typed, given its default, its valid values and its one-line meaning. The settings
 * classes check values with their declarations, the servlet reads init-params through them, and
 * {@link io.halley.core.settings.SettingsTable} renders the settings table of the documentation
 * ({@code docs/settings.md}) from them.
 *
 * <p>Who may use it: Halley's own modules, and tools that list or document settings. Applications
 * set values through the builders of the settings classes, not through this package.
 *
 * <pre>{@code
 * public static final SettingGroup<Builder> SETTINGS = SettingGroup.of("Example", "Example.builder()", "...");
 * public static final Setting<Builder, Duration> TIMEOUT = SETTINGS.define("timeout", ValueType.DURATION)
 *         .defaultValue(Duration.ofSeconds(5)).check("a positive duration", d -> d.toNanos() > 0)
 *         .meaning("how long a request waits").setter(Builder::timeout).initParam().build();
 * }</pre>
 */
package io.halley.core.settings;
