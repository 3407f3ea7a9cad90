package io.halley.core;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.halley.core.spi.Hub;

/**
 * Turns the payloads the runtime publishes on a {@link Hub} into JSON text and back, for hubs
 * that cross process boundaries (such as {@code RedisHub}). The in-memory hub never needs it.
 *
 * <p>Pool messages are user objects: they travel as their class name and Gson form, and are
 * rebuilt as that class when the receiving node can load it, else delivered as a
 * {@link JsonElement}. Strings, numbers and booleans keep their Java type. Stateless and
 * thread-safe.
 */
public final class HubCodec {
    private HubCodec() {
    }

    /**
     * Encodes a payload published by the runtime.
     *
     * @throws IllegalArgumentException for a payload that is not one of the runtime's
     */
    public static String encode(Object payload) {
        JsonObject o = new JsonObject();
        if (payload instanceof PoolRegistry.HubEvent) {
            PoolRegistry.HubEvent e = (PoolRegistry.HubEvent) payload;
            o.addProperty("t", "pool");
            o.addProperty("kind", e.kind());
            o.addProperty("pool", e.pool());
            o.addProperty("member", e.member());
            o.addProperty("origin", e.origin());
            if (e.message() != null) o.add("msg", value(e.message()));
        } else if (payload instanceof ChannelRegistry.Post) {
            ChannelRegistry.Post p = (ChannelRegistry.Post) payload;
            o.addProperty("t", "channel");
            o.addProperty("channel", p.channel());
            o.addProperty("id", p.id());
            o.add("data", p.data());
        } else if (payload instanceof ChannelRegistry.Batch) {
            ChannelRegistry.Batch b = (ChannelRegistry.Batch) payload;
            o.addProperty("t", "channel-batch");
            o.addProperty("channel", b.channel());
            com.google.gson.JsonArray posts = new com.google.gson.JsonArray(b.posts().size());
            for (ChannelRegistry.Post p : b.posts()) {
                JsonObject one = new JsonObject();
                one.addProperty("id", p.id());
                one.add("data", p.data());
                posts.add(one);
            }
            o.add("posts", posts);
        } else if (payload instanceof Halley.PageDelivery) {
            Halley.PageDelivery d = (Halley.PageDelivery) payload;
            o.addProperty("t", "page");
            o.addProperty("page", d.pageId());
            o.addProperty("cmds", d.commandsJson());
            o.addProperty("origin", d.origin());
        } else {
            throw new IllegalArgumentException("not a Halley hub payload: " + (payload == null ? "null" : payload.getClass().getName()));
        }
        return Json.GSON.toJson(o);
    }

    /**
     * Decodes what {@link #encode} produced (on any node).
     *
     * @throws IllegalArgumentException for text that is not an encoded payload
     */
    public static Object decode(String text) {
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            switch (o.get("t").getAsString()) {
                case "pool":
                    return new PoolRegistry.HubEvent(o.get("kind").getAsString(), o.get("pool").getAsString(),
                            str(o, "member"), str(o, "origin"), o.has("msg") ? fromValue(o.getAsJsonObject("msg")) : null);
                case "channel":
                    return new ChannelRegistry.Post(o.get("channel").getAsString(), o.get("id").getAsLong(), o.get("data"));
                case "channel-batch": {
                    String channel = o.get("channel").getAsString();
                    java.util.List<ChannelRegistry.Post> posts = new java.util.ArrayList<>();
                    for (JsonElement e : o.getAsJsonArray("posts")) {
                        JsonObject one = e.getAsJsonObject();
                        posts.add(new ChannelRegistry.Post(channel, one.get("id").getAsLong(), one.get("data")));
                    }
                    return new ChannelRegistry.Batch(channel, java.util.List.copyOf(posts));
                }
                case "page":
                    return new Halley.PageDelivery(o.get("page").getAsString(), o.get("cmds").getAsString(), str(o, "origin"));
                default:
                    throw new IllegalArgumentException("unknown hub payload type " + o.get("t"));
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("malformed hub payload: " + e.getMessage());
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
