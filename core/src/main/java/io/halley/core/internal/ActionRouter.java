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
    private final Map<String, ActionHandler> handlers = new ConcurrentHashMap<>();
    private final io.halley.core.metrics.RunMeters meters;

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
        handlers.put(Names.requirePool(route), Objects.requireNonNull(handler, "handler"));
    }

    public boolean has(String route) {
        return handlers.containsKey(route);
    }

    public void request(String pageId, String requestId, String route, JsonElement params) {
        String json = params == null ? "null" : params.toString();
        if (json.length() > maxParamChars) {
            throw new HalleyException(HalleyException.Kind.TOO_LARGE, "action parameters of " + json.length()
                    + " chars exceed maxMessageBytes " + maxParamChars);
        }
        queue.offer(new QueuedAction(Ids.random128(), route, json, pageId, requestId));
    }

    /** Runs a queued action and routes its reply. Called on an executor thread. */
    public void run(QueuedAction a) {
        String requestId = a.requestId() == null ? "" : a.requestId();
        ActionHandler h = handlers.get(a.route());
        Command.Reply reply;
        meters.ran();
        if (h == null) {
            reply = new Command.Reply(requestId, null, "unknown action: " + Names.abbreviate(a.route()));
        } else {
            try {
                Object result = h.handle(JsonParser.parseString(a.paramsJson()));
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
