package io.halley.core.internal;

import io.halley.core.Names;
import io.halley.core.Page;
import io.halley.core.comet.Scope;
import io.halley.core.command.Command;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubMessage;
import io.halley.core.User;
import io.halley.core.user.UserWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-user push and logout across nodes: what {@code Halley.user(name)} and
 * {@code Halley.userLoggedOut(name)} do. Delivers to this node's pages of the user directly and
 * publishes the same on the hub topic {@value #TOPIC}; every other node delivers it to its own
 * pages of that user (a node ignores its own echo, so each page gets it once). Commands are encoded
 * once and the bytes shared by every page. Thread-safe; never blocks on the network.
 */
public final class UserPush implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UserPush.class);
    /** The hub topic of per-user traffic. */
    public static final String TOPIC = "halley.users";
    /** The DOM event (and {@code halley.js} connection event) a page gets just before a logout ends it. */
    public static final String LOGGED_OUT_EVENT = "halley:loggedout";

    private final Hub hub;
    private final String nodeId;
    private final PoolRegistry pools;
    private final Function<String, List<Page>> pagesOfUser;
    private final AutoCloseable subscription;
    private final java.util.function.Consumer<HubMessage.TopicGap> lost;

    /**
     * @param lost told when the hub lost per-user messages on their way to this node (which user
     *        they were for is not known): the runtime resyncs the pages of its signed-in users
     */
    public UserPush(Hub hub, String nodeId, PoolRegistry pools, Function<String, List<Page>> pagesOfUser,
                    java.util.function.Consumer<HubMessage.TopicGap> lost) {
        this.lost = lost;
        this.hub = hub;
        this.nodeId = nodeId;
        this.pools = pools;
        this.pagesOfUser = pagesOfUser;
        this.subscription = hub.subscribe(TOPIC, this::onHub);
    }

    /** A writer to every page of {@code name}. */
    public UserWriter writer(String name) {
        return new Writer(requireName(name));
    }

    /** Ends every page of {@code name} on every node (each first gets {@value #LOGGED_OUT_EVENT}). */
    public void loggedOut(String name) {
        requireName(name);
        endPages(name);
        hub.publish(TOPIC, new HubMessage.UserLoggedOut(name, nodeId));
    }

    private static String requireName(String name) {
        return User.named(name).name(); // the same checks as a user's name
    }

    private int deliver(String name, byte[] commandsUtf8) {
        int reached = 0;
        for (Page p : pagesOfUser.apply(name)) {
            if (PageAccess.get().flushEncoded(p, commandsUtf8) >= 0) reached++;
        }
        return reached;
    }

    private void sendToFunctions(String name, String pool, Object message) {
        Set<String> sessions = new LinkedHashSet<>();
        for (Page p : pagesOfUser.apply(name)) {
            p.send(pool, message);
            sessions.add(p.sessionId());
        }
        for (String s : sessions) pools.send(new PoolRegistry.Key(Scope.LOCAL, s, pool), message);
    }

    private void endPages(String name) {
        for (Page p : pagesOfUser.apply(name)) {
            try {
                p.writer().event(LOGGED_OUT_EVENT, Map.of("user", name)).flush();
            } catch (RuntimeException gone) {
                LOG.debug("could not tell {} that its user logged out: {}", p, gone.toString());
            }
            p.close();
        }
    }

    private void onHub(HubMessage m) {
        if (m instanceof HubMessage.TopicGap g) {
            lost.accept(g);
        } else if (m instanceof HubMessage.UserCommands u) {
            if (nodeId.equals(u.origin())) return;
            String cmds = u.commandsJson();
            if (cmds.indexOf('\n') >= 0 || cmds.indexOf('\r') >= 0) { // never from our encoder
                LOG.warn("dropped commands for a user from node {}: raw line break in the encoded commands", u.origin());
                return;
            }
            deliver(u.user(), Json.utf8(cmds));
        } else if (m instanceof HubMessage.UserPoolSent u) {
            if (!nodeId.equals(u.origin())) sendToFunctions(u.user(), u.pool(), u.message());
        } else if (m instanceof HubMessage.UserLoggedOut u) {
            if (!nodeId.equals(u.origin())) endPages(u.user());
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("closing the users subscription", e);
        }
    }

    private final class Writer implements UserWriter {
        private final String name;
        private final List<Command> pending = new ArrayList<>();

        Writer(String name) {
            this.name = name;
        }

        @Override
        public String user() {
            return name;
        }

        @Override
        public synchronized UserWriter add(Command command) {
            pending.add(Objects.requireNonNull(command, "command"));
            return this;
        }

        @Override
        public int flush() {
            List<Command> batch;
            synchronized (this) {
                if (pending.isEmpty()) return 0;
                batch = new ArrayList<>(pending);
                pending.clear();
            }
            String json = Json.encodeCommands(batch);
            int reached = deliver(name, Json.utf8(json));
            hub.publish(TOPIC, new HubMessage.UserCommands(name, json, nodeId));
            return reached;
        }

        @Override
        public void send(String pool, Object message) {
            Names.requirePool(pool);
            Objects.requireNonNull(message, "message");
            sendToFunctions(name, pool, message);
            hub.publish(TOPIC, new HubMessage.UserPoolSent(name, pool, nodeId, message));
        }
    }
}
