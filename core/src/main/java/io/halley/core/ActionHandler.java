package io.halley.core;

import com.google.gson.JsonElement;

/**
 * A server action (Jii): runs on whichever node takes it from the queue, on an executor thread,
 * and returns the reply (converted to JSON with Gson). A thrown {@link HalleyException} is
 * replied as its message; any other exception as a generic error, logged once.
 */
@FunctionalInterface
public interface ActionHandler {
    Object handle(JsonElement params) throws Exception;
}
