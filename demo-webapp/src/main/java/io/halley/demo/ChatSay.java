package io.halley.demo;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * {@code POST /demo/chat/say} {@code {"page", "text"}}: sends a line to the chat as the session's
 * name, after {@link PagePost}'s checks (same origin, the session's page, its token). 400 before
 * the session joined, and for an empty or over-long line.
 */
final class ChatSay extends PagePost {
    private final transient ChatRoom room;

    ChatSay(Halley halley, ChatRoom room) {
        super(halley);
        this.room = room;
    }

    @Override
    JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
        HttpSession session = req.getSession();
        String name = (String) session.getAttribute(ChatPage.NAME);
        if (name == null) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "join the chat first");
        room.say(name, ChatRoom.cleanText(required(body, "text")));
        return ok();
    }
}
