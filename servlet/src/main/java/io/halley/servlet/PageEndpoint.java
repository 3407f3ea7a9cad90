package io.halley.servlet;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /page} opens a page for the caller's session (creating the session if needed) and
 * answers {@code {"page","token"}}; {@code GET /page?page=P} probes one: 200
 * {@code {"page":P,"alive":true}}, 410 dead, 404 unknown, 403 another session's, 400 malformed.
 * Called on the request's thread.
 */
final class PageEndpoint {
    private final Halley halley;
    private final OriginPolicy origins;
    private final int maxBodyBytes;

    PageEndpoint(Halley halley, OriginPolicy origins, int maxBodyBytes) {
        this.halley = halley;
        this.origins = origins;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Opens a page and runs the page-opened listeners. A foreign {@code Origin}/{@code Referer} is
     * refused; a request with neither is accepted (it can only open a page for its own session).
     * The body, if any, must be a JSON object; its content is ignored.
     *
     * @throws io.halley.core.HalleyException FORBIDDEN, TOO_LARGE, BAD_INPUT, LIMIT (maxPagesPerSession)
     */
    void open(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        origins.check(req, false);
        Http.jsonBody(req, maxBodyBytes);
        Page page = halley.open(SessionIds.getOrCreate(req));
        JsonObject o = new JsonObject();
        o.addProperty("page", page.id());
        o.addProperty("token", page.token());
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }

    /** Answers whether the page lives; does not renew its lease. */
    void probe(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Page page = halley.page(Http.required(req, "page"), SessionIds.find(req));
        JsonObject o = new JsonObject();
        o.addProperty("page", page.id());
        o.addProperty("alive", page.isAlive());
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }
}
