package io.halley.servlet.internal.page;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.Identities;
import io.halley.servlet.internal.OriginPolicy;
import io.halley.servlet.internal.SessionIds;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * A checked POST that acts on a page: same origin ({@link OriginPolicy}, Origin or Referer
 * required), a body of at most {@code maxBodyBytes} holding a JSON object with {@code "page"}, the
 * page live and owned by the caller's session, and the page's token in the {@code X-Halley-Token}
 * header (compared in constant time), and the request's user the one the page opened as
 * ({@link Identities}). Checked in that order: 403, 413, 400, 400/404/410/403, 403, 410.
 *
 * @param page the page acted on
 * @param body the parsed body
 */
public record PagePost(Page page, JsonObject body) {
    static final String TOKEN_HEADER = "X-Halley-Token";

    /** Reads and checks the request on its thread (a small blocking body read). */
    public static PagePost read(HttpServletRequest req, Halley halley, OriginPolicy origins, int maxBodyBytes) throws IOException {
        origins.check(req, true);
        JsonObject body = Http.jsonBody(req, maxBodyBytes);
        String id = Http.string(body, "page");
        if (id == null) throw Http.badInput("missing 'page' in body");
        Page page = halley.page(id, SessionIds.find(req));
        checkToken(page, req.getHeader(TOKEN_HEADER), TOKEN_HEADER);
        Identities.check(page, req);
        return new PagePost(page, body);
    }

    /**
     * Refuses a wrong or missing page token (compared in constant time); {@code where} names
     * where it was looked for in the refusal's message. The token check of every page POST and
     * of every request on a page's WebSocket.
     *
     * @throws HalleyException FORBIDDEN
     */
    public static void checkToken(Page page, String token, String where) {
        if (!page.checkToken(token)) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "wrong or missing " + where);
        }
    }
}
