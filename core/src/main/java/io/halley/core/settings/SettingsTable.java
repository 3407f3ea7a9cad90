package io.halley.core.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the settings page of the documentation ({@code docs/settings.md}) from setting
 * declarations: one table per settings class (name, type, default, valid values, meaning, builder
 * method and init-param), then how init-param values are written. The output depends only on the
 * declarations (and the line separator is always {@code \n}), so a test can compare it with the
 * file. Stateless.
 */
public final class SettingsTable {
    private SettingsTable() {
    }

    /**
     * The whole page.
     *
     * @param regenerate the command that rewrites the page, shown in its header
     * @param groups     the settings classes, in the order of the page
     */
    public static String markdown(String regenerate, List<SettingGroup<?>> groups) {
        StringBuilder out = new StringBuilder();
        out.append("# Settings\n\n");
        out.append("<!-- Generated from the setting declarations in the code; do not edit by hand.\n");
        out.append("     Regenerate with: ").append(regenerate).append(" -->\n\n");
        out.append("Every setting of Halley, one table per settings class. Each setting is declared once in\n");
        out.append("the code (name, type, default, valid values, meaning); this page, the builders' checks and\n");
        out.append("the servlet's init-params are all read from those declarations. A value outside *valid*\n");
        out.append("fails at once with an `IllegalArgumentException` naming the setting and the value.\n");
        Map<String, String> forms = new LinkedHashMap<>();
        for (SettingGroup<?> g : groups) {
            out.append("\n## ").append(g.title()).append("\n\n");
            out.append(g.about()).append("\n\n");
            boolean params = g.settings().stream().anyMatch(s -> s.initParam() != null);
            out.append("| setting | type | default | valid | meaning | set in code (`").append(g.builder()).append("`) |");
            out.append(params ? " init-param |\n" : "\n");
            out.append("|---|---|---|---|---|---|").append(params ? "---|\n" : "\n");
            for (Setting<?, ?> s : g.settings()) {
                out.append("| `").append(s.name()).append("` | `").append(cell(s.type().name())).append("` | ")
                        .append(cell(s.defaultText())).append(" | ").append(s.rule() == null ? "any" : cell(s.rule()))
                        .append(" | ").append(cell(s.meaning())).append(" | ").append(cell(s.builderMethod())).append(" |");
                if (params) out.append(' ').append(s.initParam() == null ? "— (code only)" : "`" + s.initParam() + "`").append(" |");
                out.append('\n');
                if (s.initParam() != null) forms.putIfAbsent(formKey(s), s.initParamForm());
            }
        }
        if (!forms.isEmpty()) {
            out.append("\n## How init-param values are written\n\n");
            out.append("Values are trimmed first; an unknown init-param name is logged and ignored, a bad value\n");
            out.append("fails the servlet's `init()` with a message naming the init-param and the value (secrets\n");
            out.append("are not shown).\n\n");
            out.append("| type | written as |\n|---|---|\n");
            for (Map.Entry<String, String> e : forms.entrySet()) {
                out.append("| ").append(e.getKey()).append(" | ").append(cell(e.getValue())).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String formKey(Setting<?, ?> s) {
        return s.type().parsable() && s.type().form() != null && s.type().form().equals(s.initParamForm())
                ? "`" + cell(s.type().name()) + "`"
                : "`" + s.initParam() + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
