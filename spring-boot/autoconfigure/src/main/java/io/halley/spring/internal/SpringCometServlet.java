package io.halley.spring.internal;

import io.halley.core.Halley;
import io.halley.servlet.CometServlet;
import io.halley.servlet.CometSettings;
import jakarta.servlet.ServletException;
import java.util.function.Consumer;

/**
 * The {@link CometServlet} the auto-configuration registers: it serves the application context's
 * {@link Halley} (put in the {@code ServletContext} attribute before the servlet starts, as
 * {@code HalleyPages} expects) and takes its settings from the {@code halley.*} properties and the
 * customizers. Thread-safe as its superclass.
 */
public final class SpringCometServlet extends CometServlet {
    private static final long serialVersionUID = 1L;

    private final transient Halley runtime;
    private final transient Consumer<CometSettings.Builder> settings;

    /**
     * @param runtime  the context's runtime (never closed here: the context closes it)
     * @param settings applies the properties and customizers to the servlet's settings
     */
    public SpringCometServlet(Halley runtime, Consumer<CometSettings.Builder> settings) {
        this.runtime = runtime;
        this.settings = settings;
    }

    @Override
    public void init() throws ServletException {
        getServletContext().setAttribute(Halley.class.getName(), runtime);
        super.init();
    }

    @Override
    protected void configure(CometSettings.Builder builder) {
        settings.accept(builder);
    }
}
