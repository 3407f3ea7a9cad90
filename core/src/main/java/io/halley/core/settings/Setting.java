package io.halley.core.settings;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One setting of a settings class, declared once: its name, type, default, valid values and
 * one-line meaning, how code sets it (the builder method) and, when it has one, its init-param.
 * Declared with {@link SettingGroup#define}; immutable and thread-safe.
 *
 * @param <B> the builder that sets it
 * @param <T> the type of its values
 */
public final class Setting<B, T> {
    private final String name;
    private final ValueType<T> type;
    private final Supplier<? extends T> defaultValue;
    private final String defaultText;
    private final String meaning;
    private final String rule;
    private final UnaryOperator<T> validator;
    private final boolean optional;
    private final boolean secret;
    private final String builderMethod;
    private final String initParam;
    private final String initParamForm;
    private final BiConsumer<B, String> initParamApplier;
    private final BiConsumer<B, String> textApplier;

    private Setting(Builder<B, T> b) {
        this.name = b.name;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.meaning = Objects.requireNonNull(b.meaning, () -> b.name + ": no meaning declared");
        this.rule = b.rule;
        this.validator = b.validator;
        this.optional = b.optional;
        this.secret = b.secret;
        this.builderMethod = b.builderMethod != null ? b.builderMethod : "`" + b.name + "(" + b.type.javaName() + ")`";
        if (b.defaultText != null) this.defaultText = b.defaultText;
        else if (b.defaultValue == null) throw new IllegalStateException(b.name + ": no default declared");
        else this.defaultText = b.type.show(b.defaultValue.get());
        this.initParam = b.initParam;
        this.initParamForm = b.initParamForm;
        if (b.initParamApplier != null || b.initParam == null) {
            this.initParamApplier = b.initParamApplier;
        } else {
            Function<String, T> parse = b.parser != null ? b.parser : b.type::parse;
            BiConsumer<B, T> set = b.setter;
            this.initParamApplier = (builder, text) -> set.accept(builder, check(parse.apply(text)));
        }
        if (this.initParamApplier == null && b.setter != null && (b.parser != null || b.type.parsable())) {
            Function<String, T> parse = b.parser != null ? b.parser : b.type::parse;
            BiConsumer<B, T> set = b.setter;
            this.textApplier = (builder, text) -> set.accept(builder, check(parse.apply(text)));
        } else {
            this.textApplier = this.initParamApplier; // the init-param's form, when there is one
        }
    }

    /** The setting's name: its builder method's and, unless declared otherwise, its init-param's. */
    public String name() { return name; }

    public ValueType<T> type() { return type; }

    /** The default value (computed afresh for defaults such as "the number of cores"), or null for none. */
    public T defaultValue() { return defaultValue == null ? null : defaultValue.get(); }

    /** The default as documentation shows it. */
    public String defaultText() { return defaultText; }

    /** What the setting does, in one line. */
    public String meaning() { return meaning; }

    /** The valid values ("&gt;= 1"), or null when any value of the type is valid. */
    public String rule() { return rule; }

    /** How code sets it (Markdown), for example {@code `pageLease(Duration)`}. */
    public String builderMethod() { return builderMethod; }

    /** The init-param that sets it, or null when only code can. */
    public String initParam() { return initParam; }

    /** How the init-param writes a value (Markdown), or null when there is no init-param. */
    public String initParamForm() { return initParamForm; }

    /** Whether values must never be shown (passwords, shared secrets). */
    public boolean secret() { return secret; }

    /**
     * Checks {@code value} against the declaration.
     *
     * @return the value, normalised where the declaration says so
     * @throws IllegalArgumentException naming the setting and the value (unless it is secret),
     *         for null when the setting is not optional and for a value that breaks the rule
     */
    public T check(T value) {
        if (value == null) {
            if (optional) return null;
            throw new IllegalArgumentException(name + " must not be null");
        }
        return validator == null ? value : validator.apply(value);
    }

    /**
     * Reads an init-param's (trimmed) text, checks the value and sets it on {@code builder}.
     *
     * @throws IllegalArgumentException (or {@link java.time.format.DateTimeParseException},
     *         {@link ArithmeticException}) for text that is not a valid value
     * @throws IllegalStateException when the setting has no init-param
     */
    public void applyInitParam(B builder, String text) {
        if (initParamApplier == null) throw new IllegalStateException(name + " has no init-param");
        initParamApplier.accept(builder, text);
    }

    /**
     * Whether {@link #applyText} can set this setting from text: it has a text form and a setter
     * (or an init-param). Configuration sources other than init-params (Spring Boot's
     * {@code halley.*} properties) set every such setting.
     */
    public boolean textSettable() {
        return textApplier != null;
    }

    /**
     * Reads a value in its type's text form (trimmed; the init-param's form when the setting has
     * one), checks it and sets it on {@code builder}.
     *
     * @throws IllegalArgumentException (or {@link java.time.format.DateTimeParseException},
     *         {@link ArithmeticException}) for text that is not a valid value
     * @throws IllegalStateException when the setting cannot be set from text
     */
    public void applyText(B builder, String text) {
        if (textApplier == null) throw new IllegalStateException(name + " cannot be set from text");
        textApplier.accept(builder, text);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * Declares a {@link Setting}; {@link #build()} adds it to its group. Not thread-safe (used in
     * static initialisers).
     */
    public static final class Builder<B, T> {
        private final SettingGroup<B> group;
        private final String name;
        private final ValueType<T> type;
        private Supplier<? extends T> defaultValue;
        private String defaultText;
        private String meaning;
        private String rule;
        private UnaryOperator<T> validator;
        private boolean optional;
        private boolean secret;
        private String builderMethod;
        private BiConsumer<B, T> setter;
        private Function<String, T> parser;
        private String initParam;
        private String initParamForm;
        private BiConsumer<B, String> initParamApplier;

        Builder(SettingGroup<B> group, String name, ValueType<T> type) {
            this.group = group;
            this.name = Objects.requireNonNull(name, "name");
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The default value, shown by the type. */
        public Builder<B, T> defaultValue(T value) {
            Objects.requireNonNull(value, "value");
            this.defaultValue = () -> value;
            return this;
        }

        /** A default computed when a builder is made, and how documentation shows it. */
        public Builder<B, T> defaultValue(Supplier<? extends T> value, String text) {
            this.defaultValue = Objects.requireNonNull(value, "value");
            this.defaultText = Objects.requireNonNull(text, "text");
            return this;
        }

        /** No default value (null allowed): {@code text} says what happens without one. */
        public Builder<B, T> noDefault(String text) {
            this.defaultValue = null;
            this.defaultText = Objects.requireNonNull(text, "text");
            this.optional = true;
            return this;
        }

        /** What the setting does, in one line (Markdown). */
        public Builder<B, T> meaning(String meaning) {
            this.meaning = Objects.requireNonNull(meaning, "meaning");
            return this;
        }

        /**
         * Valid values: {@code rule} as documentation shows it ("&gt;= 1"); a value failing
         * {@code valid} is refused with "{@code <name> must be <rule>: <value>}".
         */
        public Builder<B, T> check(String rule, Predicate<? super T> valid) {
            Objects.requireNonNull(valid, "valid");
            this.rule = Objects.requireNonNull(rule, "rule");
            this.validator = v -> {
                if (!valid.test(v)) throw new IllegalArgumentException(name + " must be " + rule + ": " + shown(v));
                return v;
            };
            return this;
        }

        /**
         * Valid values: {@code rule} as documentation shows it; {@code validator} returns the
         * (normalised) value or throws {@link IllegalArgumentException} naming the setting.
         */
        public Builder<B, T> validate(String rule, UnaryOperator<T> validator) {
            this.rule = Objects.requireNonNull(rule, "rule");
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /** Values are never shown, neither in messages nor in documentation. */
        public Builder<B, T> secret() {
            this.secret = true;
            return this;
        }

        /** The builder method that sets it. */
        public Builder<B, T> setter(BiConsumer<B, T> setter) {
            this.setter = Objects.requireNonNull(setter, "setter");
            return this;
        }

        /** How documentation names the builder method(s), when not {@code name(Type)}. */
        public Builder<B, T> builderMethod(String markdown) {
            this.builderMethod = Objects.requireNonNull(markdown, "markdown");
            return this;
        }

        /** Reads init-param text with {@code parser} instead of the type's. */
        public Builder<B, T> parser(Function<String, T> parser) {
            this.parser = Objects.requireNonNull(parser, "parser");
            return this;
        }

        /** An init-param of the setting's name: its text is parsed, checked and given to the setter. */
        public Builder<B, T> initParam() {
            if (setter == null) throw new IllegalStateException(name + ": declare the setter before the init-param");
            if (parser == null && !type.parsable()) throw new IllegalStateException(name + ": " + type + " has no text form");
            this.initParam = name;
            this.initParamForm = type.form();
            this.initParamApplier = null;
            return this;
        }

        /** An init-param {@code param} whose text ({@code form}, Markdown) {@code applier} gives to the builder. */
        public Builder<B, T> initParam(String param, String form, BiConsumer<B, String> applier) {
            this.initParam = Objects.requireNonNull(param, "param");
            this.initParamForm = Objects.requireNonNull(form, "form");
            this.initParamApplier = Objects.requireNonNull(applier, "applier");
            return this;
        }

        /** Declares the setting in its group. */
        public Setting<B, T> build() {
            Setting<B, T> s = new Setting<>(this);
            group.add(s);
            return s;
        }

        private String shown(T value) {
            return secret ? "(not shown)" : String.valueOf(value);
        }
    }
}
