package io.halley.core.user;

import com.google.gson.JsonElement;
import io.halley.core.User;

/**
 * A server action that sees who called it: as {@link io.halley.core.ActionHandler}, plus the
 * caller's {@link User} (its name and the roles captured when the calling page opened; the
 * anonymous user for a request without a page or from a node that did not say). Runs on
 * whichever node takes the action from the queue, on an executor thread; may block.
 */
@FunctionalInterface
public interface CallerActionHandler {
    Object handle(User caller, JsonElement params) throws Exception;
}
