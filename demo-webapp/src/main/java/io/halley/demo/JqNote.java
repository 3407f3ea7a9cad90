package io.halley.demo;

import com.google.gson.JsonObject;
import io.halley.core.HalleyException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /demo/jq/note} {@code {"text"}}: publishes a {@code note} on the jQuery.comet
 * feed ({@link JqFeed#note}). The jQuery.comet page has no Halley page, so the checks are those of
 * {@link PagePost} without the page: same origin (403), a JSON object of at most 16 KiB (400,
 * 413), a text of 1–{@value #MAX_TEXT} characters (400). Answers {@code {"ok": true}}.
 */
final class JqNote extends HttpServlet {
    static final int MAX_TEXT = 200;
    private static final Logger LOG = LoggerFactory.getLogger(JqNote.class);

    private final transient JqFeed feed;

    JqNote(JqFeed feed) {
        this.feed = feed;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            PagePost.requireSameOrigin(req);
            JsonObject body = PagePost.readBody(req);
            String text = PagePost.required(body, "text").replaceAll("\\p{Cntrl}", " ").strip();
            if (text.isEmpty()) throw PagePost.bad("nothing to post");
            if (text.length() > MAX_TEXT) throw PagePost.bad("at most " + MAX_TEXT + " characters");
            feed.note(text);
        } catch (HalleyException e) {
            PagePost.write(resp, e.kind().status(), PagePost.error(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.warn("{} failed", req.getRequestURI(), e);
            PagePost.write(resp, 500, PagePost.error("internal error"));
            return;
        }
        PagePost.write(resp, 200, PagePost.ok());
    }
}
