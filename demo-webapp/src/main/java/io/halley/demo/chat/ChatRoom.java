package io.halley.demo.chat;

import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.demo.Html;
import io.halley.core.Page;
import io.halley.core.comet.Comet;
import io.halley.core.comet.CometHandle;
import io.halley.core.comet.CometOptions;
import io.halley.core.comet.Member;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import io.halley.core.command.Command;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.List;

/**
 * Nitrogen's chat on a GLOBAL pool: each chat tab runs one comet function in the pool
 * {@code chat}; a line said by anyone ({@link #say}, from {@link ChatSay}) reaches every member
 * through {@link Halley#sendGlobal}, and each function appends it to its own page.
 *
 * <p>Membership comes from the pool: {@code Init} (first one here), {@code Join(member)} (every
 * member says its name again with {@link ChatEvent.Here}, so that the newcomer learns who is
 * here) and {@code Leave(member)} (the list of who is here is redrawn). A function starting sends
 * its own {@code Here} ("… joined"). Names travel in pool messages, never in node-local state, so
 * the chat works the same when the pool spans several nodes on one Redis. Each function's
 * dying message {@link ChatEvent.Left} ("… left") goes to the others when its page closes or is
 * lost. The reconnect action calls the page's {@code chatDemo.rejoin()}, which POSTs to
 * {@link ChatJoin} to start a function for the re-opened page under the session's name.
 *
 * <p>User text is HTML-escaped before it is put in an {@code append} command; the list of names is
 * set with the {@code text} command. Thread-safe.
 */
public final class ChatRoom {
    public static final String POOL = "chat";
    static final int MAX_NAME = 24;
    static final int MAX_TEXT = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Halley halley;
    private final Roster roster = new Roster();

    public ChatRoom(Halley halley) {
        this.halley = halley;
    }

    /** Starts {@code page}'s chat function as {@code name}. */
    CometHandle join(Page page, String name) {
        CometOptions options = CometOptions.builder()
                .pool(POOL)
                .scope(Scope.GLOBAL)
                .dyingMessage(new ChatEvent.Left(name))
                .reconnectActions(new Command.Call("chatDemo.rejoin", List.of()))
                .build();
        return page.comet(c -> run(c, name), options);
    }

    /** Sends a line to every member, the sayer's own tabs included. */
    void say(String name, String text) {
        halley.sendGlobal(POOL, new ChatEvent.Said(name, text));
    }

    /**
     * A private line from {@code from} to {@code to}: pushed to every tab of user {@code to} on
     * every node ({@link Halley#user}), and to the sender's tabs; nobody else's pages get it.
     */
    void whisper(String from, String to, String text) {
        String line = "<li class=\"private\"><span class=\"time\">" + LocalTime.now().format(TIME) + "</span> <b>"
                + Html.escape(from) + "</b> to <b>" + Html.escape(to) + "</b> (private) " + Html.escape(text) + "</li>";
        halley.user(to).append("#log", line).flush();
        if (!to.equals(from)) halley.user(from).append("#log", line).flush();
    }

    /** A user-chosen name: trimmed, control characters removed, at most {@link #MAX_NAME} characters. */
    static String cleanName(String raw) {
        String n = clean(raw, MAX_NAME);
        if (n.isEmpty()) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "a name is needed");
        return n;
    }

    /** A line of text: trimmed, control characters removed; BAD_INPUT when empty or too long. */
    static String cleanText(String raw) {
        String t = clean(raw, Integer.MAX_VALUE);
        if (t.isEmpty()) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "nothing to say");
        if (t.length() > MAX_TEXT) throw new HalleyException(HalleyException.Kind.BAD_INPUT, "at most " + MAX_TEXT + " characters");
        return t;
    }

    private static String clean(String raw, int max) {
        String s = raw == null ? "" : raw.replaceAll("\\p{Cntrl}", " ").strip();
        return s.length() > max ? s.substring(0, max).strip() : s;
    }

    private void run(Comet c, String name) throws InterruptedException {
        roster.named(c.member(), name);
        try {
            c.text("#me", name);
            line(c, "system", "You joined as " + name + ".");
            who(c);
            c.flush();
            c.send(new ChatEvent.Here(c.member().id(), name, true));
            while (true) {
                Object m = c.receive();
                if (m instanceof PoolMessage.Init) {
                    line(c, "system", "You are the first one here.");
                } else if (m instanceof PoolMessage.Join) {
                    c.send(new ChatEvent.Here(c.member().id(), name, false)); // for the newcomer's list
                } else if (m instanceof PoolMessage.Gap) {
                    // the link between the servers lost lines: say so, and ask everyone for the list again
                    line(c, "system", "Some messages from other servers may have been lost.");
                    c.send(new ChatEvent.Here(c.member().id(), name, false));
                } else if (m instanceof PoolMessage.Leave) {
                    roster.forget(((PoolMessage.Leave) m).member());
                    who(c);
                } else if (m instanceof ChatEvent.Here) {
                    ChatEvent.Here h = (ChatEvent.Here) m;
                    boolean other = !h.member().equals(c.member().id());
                    if (other) roster.heard(new Member(h.member()), h.name());
                    if (other && h.fresh()) line(c, "system", h.name() + " joined");
                    who(c);
                } else if (m instanceof ChatEvent.Said) {
                    ChatEvent.Said s = (ChatEvent.Said) m;
                    c.append("#log", "<li><span class=\"time\">" + LocalTime.now().format(TIME) + "</span> <b>"
                            + Html.escape(s.name()) + "</b> " + Html.escape(s.text()) + "</li>");
                } else if (m instanceof ChatEvent.Left) {
                    line(c, "system", ((ChatEvent.Left) m).name() + " left");
                }
                c.flush();
            }
        } finally {
            roster.forget(c.member());
            if (!roster.anyLocal()) roster.forgetRemote();
        }
    }

    private static void line(Comet c, String kind, String text) {
        c.append("#log", "<li class=\"" + kind + "\"><span class=\"time\">" + LocalTime.now().format(TIME)
                + "</span> " + Html.escape(text) + "</li>");
    }

    private void who(Comet c) {
        List<String> names = roster.names();
        Collections.sort(names);
        c.text("#who", names.size() + " here: " + String.join(", ", names));
    }
}
