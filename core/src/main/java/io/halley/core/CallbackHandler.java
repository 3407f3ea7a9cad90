package io.halley.core;

import com.google.gson.JsonArray;

/**
 * A streamed callback (Sijax's comet callback), registered with
 * {@link Halley#register(String, CallbackHandler)} and called from the browser with
 * {@code halley.call(name, ...args)}.
 *
 * <p>Runs on an executor thread (virtual on Java 21+); may block. It queues commands on
 * {@code response} and calls {@link CallResponse#flush()} as often as it likes; each flush reaches
 * the page as one frame at once. Whatever is queued when it returns is delivered, followed by a
 * {@code done} command carrying the return value (converted to JSON with Gson) that resolves the
 * client's promise. A thrown {@link HalleyException} rejects the promise with its message; any
 * other exception with a generic message, logged once.
 */
@FunctionalInterface
public interface CallbackHandler {
    Object call(CallResponse response, JsonArray args) throws Exception;
}
