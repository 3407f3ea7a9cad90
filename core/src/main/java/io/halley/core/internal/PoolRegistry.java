package io.halley.core.internal;

import io.halley.core.comet.Member;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import io.halley.core.spi.Hub;
import io.halley.core.spi.HubMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pools of one runtime, keyed by (scope, owner, name): PAGE pools are owned by a page id,
 * LOCAL pools by a session id, GLOBAL pools by no one.
 *
 * <p>Membership (join, leave) is serialised by the registry's lock, so {@code Init}, {@code Join}
 * and {@code Leave} are consistent with who is a member. Messages are delivered to a snapshot of
 * the members without the lock; one sender's messages reach each member in send order. GLOBAL
 * messages and membership events go through the {@link Hub} so that a distributed hub spans
 * nodes: {@code Init} then means the first member on this node. When the hub reports a
 * {@link HubMessage.TopicGap} on the pools' topic, every GLOBAL pool's members on this node get
 * {@link PoolMessage.Gap}.
 */
public final class PoolRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PoolRegistry.class);
    public static final String TOPIC = "halley.pools";

    /** A pool's identity. */
    public record Key(Scope scope, String owner, String name) {
        public Key {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
            if ((scope == Scope.GLOBAL) != (owner == null)) {
                throw new IllegalArgumentException("GLOBAL pools have no owner, others need one: " + scope + "/" + owner);
            }
        }
    }

    /** A member's receiving end. */
    public interface Mailbox {
        Member member();

        /** Queues a message without blocking; false if the mailbox is full. */
        boolean offer(Object message);
    }

    private final Map<Key, List<Mailbox>> pools = new ConcurrentHashMap<>();
    private final Hub hub;
    private final String nodeId;
    private final AutoCloseable subscription;

    public PoolRegistry(Hub hub, String nodeId) {
        this.hub = hub;
        this.nodeId = nodeId;
        this.subscription = hub.subscribe(TOPIC, this::onHub);
    }

    /** Adds {@code m}: it gets {@code Init} if first, else the others get {@code Join}. */
    public void join(Key key, Mailbox m) {
        synchronized (this) {
            List<Mailbox> members = pools.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
            // add first: a member told of the Join may send at once, and the joiner must get it
            members.add(m);
            if (members.size() == 1) {
                deliver(m, new PoolMessage.Init());
            } else {
                PoolMessage join = new PoolMessage.Join(m.member());
                for (Mailbox other : members) if (other != m) deliver(other, join);
            }
        }
        if (key.scope() == Scope.GLOBAL) {
            hub.publish(TOPIC, new HubMessage.PoolJoined(key.name(), m.member().id(), nodeId));
        }
    }

    /**
     * Removes {@code m}; its dying message (if any) goes to the remaining members, then
     * {@code Leave}. An emptied pool is freed.
     */
    public void leave(Key key, Mailbox m, Object dyingMessage) {
        boolean global = key.scope() == Scope.GLOBAL;
        synchronized (this) {
            List<Mailbox> members = pools.get(key);
            if (members == null || !members.remove(m)) return;
            if (members.isEmpty()) pools.remove(key);
            if (!global) {
                if (dyingMessage != null) for (Mailbox other : members) deliver(other, dyingMessage);
                PoolMessage leave = new PoolMessage.Leave(m.member());
                for (Mailbox other : members) deliver(other, leave);
            }
        }
        if (global) {
            if (dyingMessage != null) send(key, dyingMessage);
            hub.publish(TOPIC, new HubMessage.PoolLeft(key.name(), m.member().id(), nodeId));
            deliverLocal(key, new PoolMessage.Leave(m.member()));
        }
    }

    /** Sends to every member of the pool, the sender included; a pool with no members drops it. */
    public void send(Key key, Object message) {
        Objects.requireNonNull(message, "message");
        if (key.scope() == Scope.GLOBAL) {
            hub.publish(TOPIC, new HubMessage.PoolSent(key.name(), nodeId, message));
        } else {
            deliverLocal(key, message);
        }
    }

    public int memberCount(Key key) {
        List<Mailbox> members = pools.get(key);
        return members == null ? 0 : members.size();
    }

    public int poolCount() {
        return pools.size();
    }

    private void onHub(HubMessage payload) {
        if (payload instanceof HubMessage.PoolSent sent) {
            deliverLocal(globalKey(sent.pool()), sent.message());
        } else if (payload instanceof HubMessage.PoolJoined j) {
            if (!nodeId.equals(j.origin())) deliverLocal(globalKey(j.pool()), new PoolMessage.Join(new Member(j.member())));
        } else if (payload instanceof HubMessage.PoolLeft l) {
            if (!nodeId.equals(l.origin())) deliverLocal(globalKey(l.pool()), new PoolMessage.Leave(new Member(l.member())));
        } else if (payload instanceof HubMessage.TopicGap g) {
            // the lost messages could have been for any GLOBAL pool: every one on this node is told
            PoolMessage gap = new PoolMessage.Gap(g.lost());
            int pools = 0;
            for (Key k : this.pools.keySet()) {
                if (k.scope() == Scope.GLOBAL) {
                    deliverLocal(k, gap);
                    pools++;
                }
            }
            LOG.warn("GLOBAL pool messages were lost between nodes ({}); {} pools on this node were told (PoolMessage.Gap)",
                    g.lost() < 0 ? "how many is unknown" : g.lost() + " of them", pools);
        }
    }

    private static Key globalKey(String pool) {
        return new Key(Scope.GLOBAL, null, pool);
    }

    private void deliverLocal(Key key, Object message) {
        List<Mailbox> members = pools.get(key);
        if (members == null) return;
        for (Mailbox m : members) deliver(m, message);
    }

    private static void deliver(Mailbox m, Object message) {
        if (!m.offer(message)) {
            LOG.warn("mailbox of pool member {} is full; message dropped (mailboxCapacity)", m.member().id());
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("closing pool subscription", e);
        }
        pools.clear();
    }
}
