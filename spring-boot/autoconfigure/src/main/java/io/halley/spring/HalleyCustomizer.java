package io.halley.spring;

import io.halley.core.Halley;
import io.halley.servlet.CometSettings;

/**
 * Sets in code what the {@code halley.*} properties cannot (a {@code cspNonce} function) or
 * should not: each bean of this type is called, in {@link org.springframework.core.annotation.Order}
 * order, after the properties were applied, while the context starts, on the thread that
 * refreshes it: {@link #customize(Halley.Builder)} once, {@link #customize(CometSettings.Builder)}
 * twice (on a copy that checks the settings when the context starts, then on the servlet's own
 * when it starts), so it should only set values. A value set here wins over a property. Both
 * methods do nothing by default.
 */
public interface HalleyCustomizer {

    /** Changes the runtime's settings before the context's {@link Halley} is built. */
    default void customize(Halley.Builder halley) {
    }

    /** Changes the servlet's settings before the servlet starts. */
    default void customize(CometSettings.Builder servlet) {
    }
}
