package io.halley.servlet.internal;

import io.halley.core.Halley;
import io.halley.core.HalleyConfig;
import io.halley.core.settings.Setting;
import io.halley.core.settings.SettingGroup;
import io.halley.servlet.CometSettings;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Servlet init-params to settings, read from the setting declarations of {@link HalleyConfig}
 * (for {@link Halley#builder()}) and {@link CometSettings}: every declared init-param is accepted,
 * under its declared name and in its type's text form (listed in {@code docs/settings.md}).
 * Unknown names are returned for the caller to warn about. Stateless.
 */
public final class InitParams {

    /** Init-params that configure the runtime (ignored when the application provided one). */
    public static final Set<String> HALLEY = HalleyConfig.SETTINGS.initParams();

    /** Init-params that configure the servlet. */
    public static final Set<String> SERVLET = CometSettings.SETTINGS.initParams();

    private InitParams() {
    }

    /**
     * Applies the init-params in {@code params} to the builders ({@code halley} may be null when
     * the application provided the runtime), checking each value against its declaration.
     *
     * @return the names that are neither runtime nor servlet settings, in the order given
     * @throws IllegalArgumentException naming the init-param and its bad value (not shown for a
     *         secret)
     */
    public static List<String> apply(Map<String, String> params, Halley.Builder halley, CometSettings.Builder servlet) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String name = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().trim();
            if (!applyOne(CometSettings.SETTINGS, name, v, servlet)
                    && !applyOne(HalleyConfig.SETTINGS, name, v, halley)) {
                unknown.add(name);
            }
        }
        return List.copyOf(unknown);
    }

    /** Whether {@code group} declares init-param {@code name}; applies it when {@code builder} is not null. */
    private static <B> boolean applyOne(SettingGroup<B> group, String name, String value, B builder) {
        Setting<B, ?> s = group.byInitParam(name);
        if (s == null) return false;
        if (builder == null) return true;
        try {
            s.applyInitParam(builder, value);
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException ex) {
            String shown = s.secret() ? "(not shown)" : "'" + value + "'";
            throw new IllegalArgumentException("init-param " + name + ": bad value " + shown + " (" + ex.getMessage() + ")", ex);
        }
        return true;
    }
}
