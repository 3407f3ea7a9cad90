package io.halley.demo.chat;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.PagePostServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * {@code POST /demo/chat/join} {@code {"page"[, "name"]}}: remembers the name in the HTTP session
 * (without one, the session's name is used: the reconnect action {@code chatDemo.rejoin()} sends
 * none) and starts the page's chat function unless it runs one. Answers {@code {"name"}}.
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
        synchronized (this) { // a double click must not start two functions for one page
            if (page.functionCount() == 0) room.join(page, name);
        }
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        return o;
    }
}
