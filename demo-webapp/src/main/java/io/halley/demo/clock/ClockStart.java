package io.halley.demo.clock;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.PagePostServlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /demo/clock/start} {@code {"page"}}: starts the clock for a page that has none, the
 * target of the clock's reconnect action ({@code clockDemo.restart()} in {@code js/clock.js}).
 * Answers {@code {"started": true|false}}; a page that already runs a clock keeps just that one.
 */
public final class ClockStart extends PagePostServlet {

    public ClockStart(Halley halley) {
        super(halley);
    }

    @Override
    protected JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
        JsonObject o = new JsonObject();
        o.addProperty("started", Clock.startIfIdle(page));
        return o;
    }
}
