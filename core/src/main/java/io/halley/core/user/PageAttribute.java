package io.halley.core.user;

import java.util.Objects;

/**
 * A typed key for an application's own data on a page ({@link io.halley.core.Page#set},
 * {@link io.halley.core.Page#get}): the key is the instance (two keys of the same name are two
 * keys), so hold each in a constant. Immutable and thread-safe.
 *
 * <pre>{@code
 * static final PageAttribute<String> ROOM = PageAttribute.of("room", String.class);
 * page.set(ROOM, "lobby");
 * String room = page.get(ROOM).orElse("lobby");
 * }</pre>
 *
 * @param <T> the type of the values stored under this key
 */
public final class PageAttribute<T> {
    private final String name;
    private final Class<T> type;

    private PageAttribute(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /** A new key named {@code name} (for messages and logs) whose values are of {@code type}. */
    public static <T> PageAttribute<T> of(String name, Class<T> type) {
        return new PageAttribute<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** {@code value} as this key's type; fails with ClassCastException (naming the key) when it is not one. */
    public T cast(Object value) {
        if (value != null && !type.isInstance(value)) {
            throw new ClassCastException("page attribute '" + name + "' holds " + type.getName() + ", not "
                    + value.getClass().getName());
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "PageAttribute[" + name + ": " + type.getSimpleName() + "]";
    }
}
