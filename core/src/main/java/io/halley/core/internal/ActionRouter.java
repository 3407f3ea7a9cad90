package io.halley.core.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.halley.core.ActionHandler;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Names;
import io.halley.core.command.Command;
import io.halley.core.spi.Queue;
import io.halley.core.spi.QueuedAction;
import io.halley.core.user.CallerActionHandler;
import io.halley.core.User;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server actions (Jii): requests go into the {@link Queue}; whichever node takes one runs its
 * handler on an executor thread and routes the {@code reply} command to the requesting page
 * through the runtime's page delivery ({@code Halley.deliver}), which crosses nodes through the hub.
 */
public final class ActionRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ActionRouter.class);

    private final BiConsumer<String, List<? extends Command>> deliver;
    private final Queue queue;
    private final int maxParamChars;
    private final Map<String, Route> handlers = new ConcurrentHashMap<>();
    private final io.halley.core.metrics.RunMeters meters;

    /** A registered action: its handler and the role it requires (null for none). */
    private record Route(CallerActionHandler handler, String role) {
    }

    /**
     * @param deliver ships commands to a page id on whichever node holds it
     * @param meters  counts the actions run here and those that replied with an error
     */
    public ActionRouter(BiConsumer<String, List<? extends Command>> deliver, Queue queue, int maxParamChars,
                        io.halley.core.metrics.RunMeters meters) {
        this.meters = meters;
        this.deliver = deliver;
        this.queue = queue;
        this.maxParamChars = maxParamChars;
    }

    public void register(String route, ActionHandler handler) {
        Objects.requireNonNull(handler, "handler");
        register(route, null, (caller, params) -> handler.handle(params));
    }

    /** Registers {@code handler} under {@code route}, run only for callers with {@code role} (null: anyone). */
    public void register(String route, String role, CallerActionHandler handler) {
        handlers.put(Names.requirePool(route), new Route(Objects.requireNonNull(handler, "handler"), role));
    }

    public boolean has(String route) {
        return handlers.containsKey(route);
    }

    /**
     * Queues {@code route} for {@code caller}. An action registered here that requires a role the
     * caller lacks is refused at once (FORBIDDEN), before anything is queued.
     */
    public void request(String pageId, String requestId, String route, JsonElement params, User caller) {
        String json = params == null ? "null" : params.toString();
        if (json.length() > maxParamChars) {
            throw new HalleyException(HalleyException.Kind.TOO_LARGE, "action parameters of " + json.length()
                    + " chars exceed maxMessageBytes " + maxParamChars);
        }
        Route r = handlers.get(route);
        if (r != null && !allowed(r, caller)) throw refusal(route, r.role());
        queue.offer(new QueuedAction(Ids.random128(), route, json, pageId, requestId, caller.name(),
                caller.isAnonymous() ? null : List.copyOf(caller.roles())));
    }

    private static boolean allowed(Route r, User caller) {
        return r.role() == null || caller.hasRole(r.role());
    }

    private static HalleyException refusal(String route, String role) {
        return new HalleyException(HalleyException.Kind.FORBIDDEN, "action " + Names.abbreviate(route)
                + " requires role '" + role + "'");
    }

    private static User caller(QueuedAction a) {
        if (a.user() == null) return User.anonymous();
        try {
            return User.named(a.user(), a.roles() == null ? List.of() : a.roles());
        } catch (IllegalArgumentException e) {
            return User.anonymous();
        }
    }

    /** Runs a queued action and routes its reply. Called on an executor thread. */
    public void run(QueuedAction a) {
        String requestId = a.requestId() == null ? "" : a.requestId();
        Route h = handlers.get(a.route());
        User caller = caller(a);
        Command.Reply reply;
        meters.ran();
        if (h == null) {
            reply = new Command.Reply(requestId, null, "unknown action: " + Names.abbreviate(a.route()));
        } else if (!allowed(h, caller)) { // queued by a node that did not know the route's role
            reply = new Command.Reply(requestId, null, refusal(a.route(), h.role()).getMessage());
        } else {
            try {
                Object result = h.handler().handle(caller, JsonParser.parseString(a.paramsJson()));
                reply = new Command.Reply(requestId, Json.toTree(result), null);
            } catch (HalleyException e) {
                reply = new Command.Reply(requestId, null, e.getMessage());
            } catch (Exception e) {
                LOG.warn("action {} failed", a.route(), e);
                reply = new Command.Reply(requestId, null, "action failed");
            }
        }
        if (reply.error() != null) meters.failed();
        if (a.pageId() != null) deliver.accept(a.pageId(), List.of(reply));
    }
}
