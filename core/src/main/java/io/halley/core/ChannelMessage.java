package io.halley.core;

import com.google.gson.JsonElement;

/**
 * A message published on a channel, as server-side listeners see it.
 *
 * @param channel the channel name
 * @param id      the message's id in the channel's history (increasing per channel)
 * @param data    the message as JSON
 */
public record ChannelMessage(String channel, long id, JsonElement data) {
}
