package io.halley.core.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of one settings class, in declaration order: each is declared once with
 * {@link #define} in the class's static initialiser. Thread-safe once the declaring class is
 * initialised (declaration happens during its initialisation, which the JVM orders before any use).
 *
 * @param <B> the builder of the settings class
 */
public final class SettingGroup<B> {
    private final String title;
    private final String builder;
    private final String about;
    private final List<Setting<B, ?>> settings = new ArrayList<>();
    private final Map<String, Setting<B, ?>> byInitParam = new LinkedHashMap<>();

    private SettingGroup(String title, String builder, String about) {
        this.title = Objects.requireNonNull(title, "title");
        this.builder = Objects.requireNonNull(builder, "builder");
        this.about = Objects.requireNonNull(about, "about");
    }

    /**
     * A group without settings yet.
     *
     * @param title   the settings class, as the documentation's heading names it
     * @param builder how code gets a builder, for example {@code Halley.builder()}
     * @param about   one paragraph (Markdown) on what the settings configure and where they are read
     */
    public static <B> SettingGroup<B> of(String title, String builder, String about) {
        return new SettingGroup<>(title, builder, about);
    }

    /** Starts declaring setting {@code name} of {@code type}; its {@code build()} adds it here. */
    public <T> Setting.Builder<B, T> define(String name, ValueType<T> type) {
        return new Setting.Builder<>(this, name, type);
    }

    synchronized void add(Setting<B, ?> setting) {
        for (Setting<B, ?> s : settings) {
            if (s.name().equals(setting.name())) throw new IllegalStateException("setting " + s.name() + " declared twice");
        }
        if (setting.initParam() != null && byInitParam.putIfAbsent(setting.initParam(), setting) != null) {
            throw new IllegalStateException("init-param " + setting.initParam() + " declared twice");
        }
        settings.add(setting);
    }

    public String title() { return title; }

    public String builder() { return builder; }

    public String about() { return about; }

    /** Every setting, in declaration order. */
    public synchronized List<Setting<B, ?>> settings() {
        return List.copyOf(settings);
    }

    /** The setting that init-param {@code name} sets, or null. */
    public synchronized Setting<B, ?> byInitParam(String name) {
        return byInitParam.get(name);
    }

    /** The names of every init-param, in declaration order. */
    public synchronized Set<String> initParams() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(byInitParam.keySet()));
    }

    @Override
    public String toString() {
        return title;
    }
}
