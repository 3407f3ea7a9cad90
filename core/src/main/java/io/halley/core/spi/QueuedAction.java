package io.halley.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * A server action request travelling through a {@link Queue}: which route to run with which
 * parameters, and where the reply goes.
 *
 * @param id         unique id of this request, for idempotent processing and reply routing
 * @param route      the action's route
 * @param paramsJson the parameters as JSON
 * @param pageId     the page that gets the reply, or null for none
 * @param requestId  the client's request id, echoed in the reply command
 * @param user       the caller's user name, or null for anonymous (or a request without a page)
 * @param roles      the caller's roles captured when its page opened, or null for none
 */
public record QueuedAction(String id, String route, String paramsJson, String pageId, String requestId,
                           String user, List<String> roles) {
    public QueuedAction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(paramsJson, "paramsJson");
        roles = roles == null ? null : List.copyOf(roles);
    }

    /** A request with no caller (anonymous). */
    public QueuedAction(String id, String route, String paramsJson, String pageId, String requestId) {
        this(id, route, paramsJson, pageId, requestId, null, null);
    }
}
