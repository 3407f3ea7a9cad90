package io.halley.core.spi;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.halley.core.internal.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link HubMessage}s into JSON text and back, for hubs that cross process boundaries (such
 * as {@code RedisHub}). The in-memory hub never needs it.
 *
 * <p>Wire form, one JSON object per message, told apart by {@code "t"}: {@code pool} (with
 * {@code kind} {@code join}, {@code leave} or {@code msg}), {@code channel},
 * {@code channel-batch}, {@code page}, {@code gap} (a {@link HubMessage.TopicGap}, which a
 * hub may record to tell every node of a loss), and the per-user {@code user}, {@code user-pool}
 * and {@code user-logout}. Pool messages are user objects: they travel as their
 * class name and Gson form, and are rebuilt as that class when the receiving node can load it
 * (through the thread's context class loader), else delivered as a {@link JsonElement}. Strings,
 * numbers and booleans keep their Java type. Stateless and thread-safe.
 */
public final class HubCodec {
    private HubCodec() {
    }

    /**
     * Encodes {@code message}.
     *
     * @throws IllegalArgumentException for a null message
     */
    public static String encode(HubMessage message) {
        if (message == null) throw new IllegalArgumentException("not a Halley hub payload: null");
        JsonObject o = new JsonObject();
        if (message instanceof HubMessage.PoolJoined j) {
            pool(o, "join", j.pool(), j.member(), j.origin());
        } else if (message instanceof HubMessage.PoolLeft l) {
            pool(o, "leave", l.pool(), l.member(), l.origin());
        } else if (message instanceof HubMessage.PoolSent s) {
            pool(o, "msg", s.pool(), null, s.origin());
            o.add("msg", value(s.message()));
        } else if (message instanceof HubMessage.ChannelPost p) {
            o.addProperty("t", "channel");
            o.addProperty("channel", p.channel());
            o.addProperty("id", p.id());
            o.add("data", p.data());
        } else if (message instanceof HubMessage.ChannelBatch b) {
            o.addProperty("t", "channel-batch");
            o.addProperty("channel", b.channel());
            JsonArray posts = new JsonArray(b.posts().size());
            for (HubMessage.ChannelPost p : b.posts()) {
                JsonObject one = new JsonObject();
                one.addProperty("id", p.id());
                one.add("data", p.data());
                posts.add(one);
            }
            o.add("posts", posts);
        } else if (message instanceof HubMessage.PageCommands d) {
            o.addProperty("t", "page");
            o.addProperty("page", d.pageId());
            o.addProperty("cmds", d.commandsJson());
            o.addProperty("origin", d.origin());
        } else if (message instanceof HubMessage.UserCommands u) {
            o.addProperty("t", "user");
            o.addProperty("user", u.user());
            o.addProperty("cmds", u.commandsJson());
            o.addProperty("origin", u.origin());
        } else if (message instanceof HubMessage.UserPoolSent u) {
            o.addProperty("t", "user-pool");
            o.addProperty("user", u.user());
            o.addProperty("pool", u.pool());
            o.addProperty("origin", u.origin());
            o.add("msg", value(u.message()));
        } else if (message instanceof HubMessage.UserLoggedOut u) {
            o.addProperty("t", "user-logout");
            o.addProperty("user", u.user());
            o.addProperty("origin", u.origin());
        } else if (message instanceof HubMessage.TopicGap g) {
            o.addProperty("t", "gap");
            o.addProperty("topic", g.topic());
            o.addProperty("lost", g.lost());
        }
        return Json.GSON.toJson(o);
    }

    private static void pool(JsonObject o, String kind, String pool, String member, String origin) {
        o.addProperty("t", "pool");
        o.addProperty("kind", kind);
        o.addProperty("pool", pool);
        o.addProperty("member", member);
        o.addProperty("origin", origin);
    }

    /**
     * Decodes what {@link #encode} produced (on any node).
     *
     * @throws IllegalArgumentException for text that is not an encoded message
     */
    public static HubMessage decode(String text) {
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            switch (o.get("t").getAsString()) {
                case "pool":
                    return pool(o);
                case "channel":
                    return new HubMessage.ChannelPost(o.get("channel").getAsString(), o.get("id").getAsLong(), o.get("data"));
                case "channel-batch": {
                    String channel = o.get("channel").getAsString();
                    List<HubMessage.ChannelPost> posts = new ArrayList<>();
                    for (JsonElement e : o.getAsJsonArray("posts")) {
                        JsonObject one = e.getAsJsonObject();
                        posts.add(new HubMessage.ChannelPost(channel, one.get("id").getAsLong(), one.get("data")));
                    }
                    return new HubMessage.ChannelBatch(channel, posts);
                }
                case "gap":
                    return new HubMessage.TopicGap(o.get("topic").getAsString(), o.get("lost").getAsLong());
                case "page":
                    return new HubMessage.PageCommands(o.get("page").getAsString(), o.get("cmds").getAsString(), str(o, "origin"));
                case "user":
                    return new HubMessage.UserCommands(o.get("user").getAsString(), o.get("cmds").getAsString(), str(o, "origin"));
                case "user-pool":
                    return new HubMessage.UserPoolSent(o.get("user").getAsString(), o.get("pool").getAsString(),
                            str(o, "origin"), fromValue(o.getAsJsonObject("msg")));
                case "user-logout":
                    return new HubMessage.UserLoggedOut(o.get("user").getAsString(), str(o, "origin"));
                default:
                    throw new IllegalArgumentException("unknown hub payload type " + o.get("t"));
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("malformed hub payload: " + e.getMessage());
        }
    }

    private static HubMessage pool(JsonObject o) {
        String kind = o.get("kind").getAsString();
        String pool = o.get("pool").getAsString();
        switch (kind) {
            case "join":
                return new HubMessage.PoolJoined(pool, str(o, "member"), str(o, "origin"));
            case "leave":
                return new HubMessage.PoolLeft(pool, str(o, "member"), str(o, "origin"));
            case "msg":
                return new HubMessage.PoolSent(pool, str(o, "origin"), fromValue(o.getAsJsonObject("msg")));
            default:
                throw new IllegalArgumentException("unknown pool event kind " + kind);
        }
    }

    private static String str(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static JsonObject value(Object v) {
        JsonObject o = new JsonObject();
        o.addProperty("c", v instanceof JsonElement ? "json" : v.getClass().getName());
        o.add("v", Json.toTree(v));
        return o;
    }

    private static Object fromValue(JsonObject o) {
        String cls = o.get("c").getAsString();
        JsonElement v = o.get("v");
        if ("json".equals(cls)) return v;
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(cls, false, cl != null ? cl : HubCodec.class.getClassLoader());
            return Json.GSON.fromJson(v, type);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return v; // another node's type this node cannot build: deliver the JSON
        }
    }
}
