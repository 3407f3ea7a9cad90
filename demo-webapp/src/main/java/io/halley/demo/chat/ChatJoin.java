package io.halley.demo.chat;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.HalleyPages;
import io.halley.servlet.PagePostServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * {@code POST /demo/chat/join} {@code {"page"[, "name"]}}: the chat's login. Remembers the name in
 * the HTTP session (without one, the session's name is used: the reconnect action
 * {@code chatDemo.rejoin()} sends none), which makes it the user of the session's pages. When the
 * page was opened as someone else (anonymous, before the first join) its session's pages of that
 * identity end ({@link HalleyPages#userChanged}) and the answer is {@code {"name","reload":true}}:
 * the page reloads as the user. Otherwise it starts the page's chat function unless it runs one
 * and answers {@code {"name"}}.
 */
public final class ChatJoin extends PagePostServlet {
    private final transient ChatRoom room;

    public ChatJoin(Halley halley, ChatRoom room) {
        super(halley);
        this.room = room;
    }

    @Override
    protected JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
        HttpSession session = req.getSession();
        String given = string(body, "name");
        String name = given != null ? ChatRoom.cleanName(given) : (String) session.getAttribute(ChatPage.NAME);
        if (name == null) throw badInput("a name is needed");
        session.setAttribute(ChatPage.NAME, name);
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        if (!name.equals(page.user().name())) {
            // signed in (or under another name): the session's pages of the previous identity end,
            // and this one reloads to open as the user (its chat joins as it renders)
            HalleyPages.userChanged(req);
            o.addProperty("reload", true);
            return o;
        }
        synchronized (this) { // a double click must not start two functions for one page
            if (page.functionCount() == 0) room.join(page, name);
        }
        return o;
    }
}
