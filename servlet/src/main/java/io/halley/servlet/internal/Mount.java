package io.halley.servlet.internal;

import io.halley.servlet.CometSettings;
import jakarta.servlet.ServletContext;

/**
 * What a started {@link CometServlet} publishes in its {@link ServletContext} for
 * {@link HalleyPages}: its settings and the URL path it is mounted at (context path included,
 * for example {@code /app/halley}).
 *
 * @param settings the servlet's settings
 * @param base     the mount's URL path, without a trailing slash
 * @param origins  the servlet's origin check (its settings' allowed origins and trusted proxies)
 */
public record Mount(CometSettings settings, String base, OriginPolicy origins) {
    public static final String ATTRIBUTE = "io.halley.servlet.Mount";

    /** The published mount, or the defaults at {@code <context>/halley} when no servlet started yet. */
    public static Mount of(ServletContext ctx) {
        Object m = ctx.getAttribute(ATTRIBUTE);
        return m instanceof Mount ? (Mount) m : of(CometSettings.defaults(), ctx.getContextPath() + "/halley");
    }

    /** A mount with the origin check that {@code settings} describe. */
    public static Mount of(CometSettings settings, String base) {
        return new Mount(settings, base, OriginPolicy.of(settings));
    }
}
