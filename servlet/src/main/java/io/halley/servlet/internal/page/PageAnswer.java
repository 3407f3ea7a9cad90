package io.halley.servlet.internal.page;

import com.google.gson.JsonObject;

/**
 * What a page request answers, whichever way it came (an HTTP POST or a message on the page's
 * WebSocket): a status as HTTP's (200, 202) and its JSON body. Refusals are thrown as
 * {@link io.halley.core.HalleyException}s, never answered this way.
 *
 * @param status the HTTP status the answer has over HTTP
 * @param body its JSON body
 */
public record PageAnswer(int status, JsonObject body) {
}
