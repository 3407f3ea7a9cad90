package io.halley.core;

import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class HubCodecTest {
    record Chat(String from, String text) {
    }

    @Test
    void poolMessagesRoundTripAsTheirOwnClass() {
        Object back = HubCodec.decode(HubCodec.encode(new PoolRegistry.HubEvent("msg", "room", null, "n1", new Chat("ann", "<hi>"))));
        PoolRegistry.HubEvent e = assertInstanceOf(PoolRegistry.HubEvent.class, back);
        assertEquals(new Chat("ann", "<hi>"), e.message());
        assertEquals("n1", e.origin());
        assertEquals("plain", ((PoolRegistry.HubEvent) HubCodec.decode(HubCodec.encode(
                new PoolRegistry.HubEvent("msg", "room", null, "n1", "plain")))).message());
    }

    @Test
    void unknownClassesArriveAsJson() {
        String text = HubCodec.encode(new PoolRegistry.HubEvent("msg", "room", null, "n1", new Chat("a", "b")))
                .replace(Chat.class.getName(), "com.example.NotHere");
        PoolRegistry.HubEvent e = (PoolRegistry.HubEvent) HubCodec.decode(text);
        assertEquals("a", ((JsonElement) e.message()).getAsJsonObject().get("from").getAsString());
    }

    @Test
    void channelPostsAndPageDeliveriesRoundTrip() {
        ChannelRegistry.Post p = (ChannelRegistry.Post) HubCodec.decode(HubCodec.encode(
                new ChannelRegistry.Post("news", 42, JsonParser.parseString("{\"a\":[1,2]}"))));
        assertEquals(42, p.id());
        assertEquals(2, p.data().getAsJsonObject().getAsJsonArray("a").size());
        Halley.PageDelivery d = (Halley.PageDelivery) HubCodec.decode(HubCodec.encode(new Halley.PageDelivery("P", "[]", "n2")));
        assertEquals("P", d.pageId());
        assertEquals("[]", d.commandsJson());
    }

    @Test
    void channelBatchesRoundTripInOrder() {
        ChannelRegistry.Batch b = (ChannelRegistry.Batch) HubCodec.decode(HubCodec.encode(new ChannelRegistry.Batch("news", java.util.List.of(
                new ChannelRegistry.Post("news", 7, JsonParser.parseString("\"a\"")),
                new ChannelRegistry.Post("news", 8, JsonParser.parseString("{\"b\":1}"))))));
        assertEquals("news", b.channel());
        assertEquals(java.util.List.of(7L, 8L), b.posts().stream().map(ChannelRegistry.Post::id).toList());
        assertEquals("a", b.posts().get(0).data().getAsString());
        assertEquals(1, b.posts().get(1).data().getAsJsonObject().get("b").getAsInt());
    }

    @Test
    void malformedTextIsRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> HubCodec.decode("not json"));
        assertThrows(IllegalArgumentException.class, () -> HubCodec.decode("{\"t\":\"weird\"}"));
        assertThrows(IllegalArgumentException.class, () -> HubCodec.encode("a string is no payload"));
    }
}
