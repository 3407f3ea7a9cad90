package io.halley.core.spi;


import static org.junit.jupiter.api.Assertions.*;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class HubCodecTest {
    record Chat(String from, String text) {
    }

    @Test
    void poolMessagesRoundTripAsTheirOwnClass() {
        Object back = HubCodec.decode(HubCodec.encode(new HubMessage.PoolSent("room", "n1", new Chat("ann", "<hi>"))));
        HubMessage.PoolSent e = assertInstanceOf(HubMessage.PoolSent.class, back);
        assertEquals(new Chat("ann", "<hi>"), e.message());
        assertEquals("n1", e.origin());
        assertEquals("plain", ((HubMessage.PoolSent) HubCodec.decode(HubCodec.encode(
                new HubMessage.PoolSent("room", "n1", "plain")))).message());
    }

    @Test
    void unknownClassesArriveAsJson() {
        String text = HubCodec.encode(new HubMessage.PoolSent("room", "n1", new Chat("a", "b")))
                .replace(Chat.class.getName(), "com.example.NotHere");
        HubMessage.PoolSent e = (HubMessage.PoolSent) HubCodec.decode(text);
        assertEquals("a", ((JsonElement) e.message()).getAsJsonObject().get("from").getAsString());
    }

    @Test
    void channelPostsAndPageDeliveriesRoundTrip() {
        HubMessage.ChannelPost p = (HubMessage.ChannelPost) HubCodec.decode(HubCodec.encode(
                new HubMessage.ChannelPost("news", 42, JsonParser.parseString("{\"a\":[1,2]}"))));
        assertEquals(42, p.id());
        assertEquals(2, p.data().getAsJsonObject().getAsJsonArray("a").size());
        HubMessage.PageCommands d = (HubMessage.PageCommands) HubCodec.decode(HubCodec.encode(new HubMessage.PageCommands("P", "[]", "n2")));
        assertEquals("P", d.pageId());
        assertEquals("[]", d.commandsJson());
    }

    @Test
    void channelBatchesRoundTripInOrder() {
        HubMessage.ChannelBatch b = (HubMessage.ChannelBatch) HubCodec.decode(HubCodec.encode(new HubMessage.ChannelBatch("news", java.util.List.of(
                new HubMessage.ChannelPost("news", 7, JsonParser.parseString("\"a\"")),
                new HubMessage.ChannelPost("news", 8, JsonParser.parseString("{\"b\":1}"))))));
        assertEquals("news", b.channel());
        assertEquals(java.util.List.of(7L, 8L), b.posts().stream().map(HubMessage.ChannelPost::id).toList());
        assertEquals("a", b.posts().get(0).data().getAsString());
        assertEquals(1, b.posts().get(1).data().getAsJsonObject().get("b").getAsInt());
    }

    @Test
    void malformedTextIsRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> HubCodec.decode("not json"));
        assertThrows(IllegalArgumentException.class, () -> HubCodec.decode("{\"t\":\"weird\"}"));
        // a payload that is not the runtime's no longer compiles (Hub takes HubMessage); null is refused
        assertThrows(IllegalArgumentException.class, () -> HubCodec.encode(null));
    }

    /** The text on Redis is what the untyped codec wrote before HubMessage (captured from it): nodes of both versions interoperate. */
    @Test
    void encodedTextIsTheWireFormOfEarlierVersions() {
        assertEquals("{\"t\":\"pool\",\"kind\":\"join\",\"pool\":\"room\",\"member\":\"n1-m1\",\"origin\":\"n1\"}",
                HubCodec.encode(new HubMessage.PoolJoined("room", "n1-m1", "n1")));
        assertEquals("{\"t\":\"pool\",\"kind\":\"leave\",\"pool\":\"room\",\"member\":\"n1-m1\",\"origin\":\"n1\"}",
                HubCodec.encode(new HubMessage.PoolLeft("room", "n1-m1", "n1")));
        assertEquals("{\"t\":\"pool\",\"kind\":\"msg\",\"pool\":\"room\",\"origin\":\"n1\",\"msg\":{\"c\":\"java.lang.String\",\"v\":\"plain\"}}",
                HubCodec.encode(new HubMessage.PoolSent("room", "n1", "plain")));
        assertEquals("{\"t\":\"pool\",\"kind\":\"msg\",\"pool\":\"room\",\"origin\":\"n1\",\"msg\":{\"c\":\"json\",\"v\":[1]}}",
                HubCodec.encode(new HubMessage.PoolSent("room", "n1", JsonParser.parseString("[1]"))));
        assertEquals("{\"t\":\"pool\",\"kind\":\"msg\",\"pool\":\"room\",\"origin\":\"n1\",\"msg\":{\"c\":\"" + Chat.class.getName()
                        + "\",\"v\":{\"from\":\"ann\",\"text\":\"\\u003chi\\u003e\"}}}",
                HubCodec.encode(new HubMessage.PoolSent("room", "n1", new Chat("ann", "<hi>"))));
        assertEquals("{\"t\":\"channel\",\"channel\":\"news\",\"id\":42,\"data\":{\"a\":[1,2]}}",
                HubCodec.encode(new HubMessage.ChannelPost("news", 42, JsonParser.parseString("{\"a\":[1,2]}"))));
        assertEquals("{\"t\":\"channel-batch\",\"channel\":\"news\",\"posts\":[{\"id\":7,\"data\":\"a\"},{\"id\":8,\"data\":{\"b\":1}}]}",
                HubCodec.encode(new HubMessage.ChannelBatch("news", java.util.List.of(
                        new HubMessage.ChannelPost("news", 7, JsonParser.parseString("\"a\"")),
                        new HubMessage.ChannelPost("news", 8, JsonParser.parseString("{\"b\":1}"))))));
        assertEquals("{\"t\":\"page\",\"page\":\"P\",\"cmds\":\"[{\\\"op\\\":\\\"alert\\\",\\\"message\\\":\\\"\\u003cx\\u003e\\\"}]\",\"origin\":\"n2\"}",
                HubCodec.encode(new HubMessage.PageCommands("P", "[{\"op\":\"alert\",\"message\":\"<x>\"}]", "n2")));
    }
}
