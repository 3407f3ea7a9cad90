package io.halley.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the methods {@link Halley#registerObject(Object)} exposes. When a class has at least one
 * method with this annotation, only annotated methods are exposed; otherwise every public method
 * the class itself declares is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Callback {
    /** The callback name; empty (the default) keeps the method's name. */
    String value() default "";

    /**
     * A role the caller's user must have (as captured when its page opened); empty (the default)
     * for none. A caller without it is refused with {@code FORBIDDEN} (403) before the method runs.
     */
    String role() default "";
}
