package io.halley.demo;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.PagePostServlet;
import jakarta.servlet.http.HttpServletRequest;

/**
 * {@code POST /demo/page/close} {@code {"page", "token"}}: closes a page at once, sent by
 * {@code navigator.sendBeacon} when a tab goes away ({@code pagehide}) or when the transports demo
 * replaces its connection. Without it a page lives one lease (20 s) after its transport went; with
 * it the chat shows "… left" as the tab closes. A tab that crashes still ends by the lease.
 */
public final class PageClose extends PagePostServlet {

    PageClose(Halley halley) {
        super(halley);
    }

    @Override
    protected JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
        page.close();
        return ok();
    }
}
