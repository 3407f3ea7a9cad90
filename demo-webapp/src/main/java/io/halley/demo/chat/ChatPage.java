package io.halley.demo.chat;

import io.halley.demo.Html;
import io.halley.core.Page;
import io.halley.servlet.HalleyPages;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code GET /chat}: renders the chat page. Server-rendered with {@link HalleyPages#open}, so the
 * page exists while it renders: a session that already chose a name (another tab, a reload)
 * joins the pool right here, as Nitrogen starts {@code #comet{}} functions during the render;
 * otherwise the page asks for a name and {@link ChatJoin} starts the function.
 */
public final class ChatPage extends HttpServlet {
    /**
     * The HttpSession attribute holding the chat name (a String): the demo's login, a name without
     * a password. {@link io.halley.demo.DemoApp} makes it the pages' user ({@code userSessionAttribute}).
     */
    public static final String NAME = "io.halley.demo.chat.name";

    private final transient ChatRoom room;

    public ChatPage(ChatRoom room) {
        this.room = room;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Page page = HalleyPages.open(req);
        HttpSession session = req.getSession();
        String name = (String) session.getAttribute(NAME);
        if (name != null) room.join(page, name);
        PrintWriter out = Html.begin(resp, "Chat", "Nitrogen GLOBAL pool, joins, leaves and dying messages");
        out.println("<section class=\"card\">");
        out.println("<form id=\"join\"" + (name != null ? " hidden" : "") + ">");
        out.println("<label for=\"name\">Your name</label>");
        out.println("<div class=\"row\"><input id=\"name\" name=\"name\" maxlength=\"" + ChatRoom.MAX_NAME
                + "\" autocomplete=\"nickname\" required><button>Join</button></div></form>");
        out.println("<form id=\"say\"" + (name == null ? " hidden" : "") + ">");
        out.println("<label for=\"text\">Say something as <b id=\"me\">" + (name == null ? "" : Html.escape(name))
                + "</b></label>");
        out.println("<div class=\"row\"><input id=\"text\" name=\"text\" maxlength=\"" + ChatRoom.MAX_TEXT
                + "\" autocomplete=\"off\" required><button>Send</button></div></form>");
        out.println("<p class=\"muted\" id=\"who\"></p>");
        out.println("<ul class=\"log\" id=\"log\"></ul>");
        out.println("<p class=\"error\" id=\"error\" role=\"alert\"></p>");
        out.println("</section>");
        out.println("<section class=\"card\"><p>Every chat tab runs a comet function in one GLOBAL pool. Lines go");
        out.println("to every member; the pool announces who joins and leaves, and a closing tab's function");
        out.println("sends its dying message. Open this page in another browser to chat with yourself.");
        out.println("Your name is your login (no password): <code>/msg Bob hi</code> reaches only Bob's tabs,");
        out.println("on every node (<code>halley.user(\"Bob\")</code>), and yours.</p></section>");
        Html.end(out, HalleyPages.bootstrap(req, page)
                + "\n<script src=\"js/demo.js\"></script><script src=\"js/chat.js\"></script>");
    }
}
