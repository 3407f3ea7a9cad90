package io.halley.demo.chat;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Page;
import io.halley.servlet.PagePostServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * {@code POST /demo/chat/say} {@code {"page", "text"}}: sends a line to the chat as the session's
 * name, after {@link PagePostServlet}'s checks (same origin, the session's page, its token). 400 before
 * the session joined, and for an empty or over-long line. {@code /msg Bob hi} is a private
 * message: only Bob's tabs (on every node) and the sender's show it ({@link ChatRoom#whisper}).
 */
public final class ChatSay extends PagePostServlet {
    private final transient ChatRoom room;

    public ChatSay(Halley halley, ChatRoom room) {
        super(halley);
        this.room = room;
    }

    @Override
    protected JsonObject handle(Page page, JsonObject body, HttpServletRequest req) {
        HttpSession session = req.getSession();
        String name = (String) session.getAttribute(ChatPage.NAME);
        if (name == null) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "join the chat first");
        String text = ChatRoom.cleanText(required(body, "text"));
        if (text.startsWith("/msg ")) {
            String[] to = text.substring(5).strip().split("\\s+", 2);
            if (to.length < 2 || to[1].isBlank()) throw badInput("say /msg name text");
            room.whisper(name, ChatRoom.cleanName(to[0]), to[1]);
        } else {
            room.say(name, text);
        }
        return ok();
    }
}
