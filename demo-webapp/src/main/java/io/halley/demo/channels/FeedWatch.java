package io.halley.demo.channels;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.core.command.Command;
import io.halley.servlet.PagePostServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * {@code POST /demo/feed/watch} {@code {"page"}}: subscribes the page to the {@link Feed} (new
 * messages only), server side, and gives it the reconnect action {@code transportsDemo.watch()} so
 * that a page re-opened after the server lost it is subscribed again. Idempotent.
 */
public final class FeedWatch extends PagePostServlet {

    public FeedWatch(Halley halley) {
        super(halley);
    }

    @Override
    protected JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
        synchronized (this) { // check-then-act on the page's channels
            if (page.channels().contains(Feed.CHANNEL)) return ok();
            page.subscribe(Feed.CHANNEL);
        }
        page.writer().add(new Command.OnReconnect(List.of(new Command.Call("transportsDemo.watch", List.of())))).flush();
        return ok();
    }
}
