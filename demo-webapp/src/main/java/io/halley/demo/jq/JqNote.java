package io.halley.demo.jq;

import com.google.gson.JsonObject;
import io.halley.core.Page;
import io.halley.servlet.PagePostServlet;
import jakarta.servlet.http.HttpServletRequest;


/**
 * {@code POST /demo/jq/note} {@code {"text"}}: publishes a {@code note} on the jQuery.comet
 * feed ({@link JqFeed#note}). The jQuery.comet page has no Halley page, so the checks are those of
 * {@link PagePostServlet} without the page: same origin (403), a JSON object of at most
 * {@code maxBodyBytes} (400, 413), a text of 1–{@value #MAX_TEXT} characters (400). Answers {@code {"ok": true}}.
 */
public final class JqNote extends PagePostServlet {
    static final int MAX_TEXT = 200;

    private final transient JqFeed feed;

    public JqNote(JqFeed feed) {
        this.feed = feed;
    }

    @Override
    protected boolean pageRequired() {
        return false;
    }

    @Override
    protected JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
        String text = required(body, "text").replaceAll("\\p{Cntrl}", " ").strip();
        if (text.isEmpty()) throw badInput("nothing to post");
        if (text.length() > MAX_TEXT) throw badInput("at most " + MAX_TEXT + " characters");
        feed.note(text);
        return ok();
    }
}
