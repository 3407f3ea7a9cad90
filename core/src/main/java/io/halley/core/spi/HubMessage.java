package io.halley.core.spi;

import com.google.gson.JsonElement;
import java.util.List;
import java.util.Objects;

/**
 * What the runtime carries through a {@link Hub}: GLOBAL pool traffic (topic
 * {@code halley.pools}), channel messages (topic {@code halley.channels}), commands addressed to
 * a page held by another node (topic {@code halley.pages}) and per-user pushes and logouts (topic
 * {@code halley.users}). A distributed hub turns them into text
 * with {@link HubCodec} and back; the in-memory hub passes them by reference.
 *
 * <p>Every record is immutable, except that a {@link PoolSent#message()} is the user's object as
 * sent. {@code origin} is the publishing node's id: receivers use it to ignore their own echoes.
 *
 * <p>{@link TopicGap} is the one record no node publishes: a hub hands it to a topic's receivers
 * when it knows that messages of that topic did not reach this node (see {@link Hub}).
 */
public sealed interface HubMessage {

    /** A function joined the GLOBAL pool {@code pool} on node {@code origin}. */
    record PoolJoined(String pool, String member, String origin) implements HubMessage {
        public PoolJoined {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(member, "member");
        }
    }

    /** A function left the GLOBAL pool {@code pool} on node {@code origin}. */
    record PoolLeft(String pool, String member, String origin) implements HubMessage {
        public PoolLeft {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(member, "member");
        }
    }

    /**
     * {@code message} sent to every member of the GLOBAL pool {@code pool}: a user object, or what
     * a receiving node rebuilt from it (the same class when it can load it, else a
     * {@link JsonElement}).
     */
    record PoolSent(String pool, String origin, Object message) implements HubMessage {
        public PoolSent {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Message {@code id} (assigned by the channel history) of {@code channel}. */
    record ChannelPost(String channel, long id, JsonElement data) implements HubMessage {
        public ChannelPost {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(data, "data");
        }
    }

    /** Posts of one channel published together, in order, to be delivered as one frame per page. */
    record ChannelBatch(String channel, List<ChannelPost> posts) implements HubMessage {
        public ChannelBatch {
            Objects.requireNonNull(channel, "channel");
            posts = List.copyOf(posts);
        }
    }

    /** Encoded commands (a JSON array) for page {@code pageId}, wherever it lives. */
    record PageCommands(String pageId, String commandsJson, String origin) implements HubMessage {
        public PageCommands {
            Objects.requireNonNull(pageId, "pageId");
            Objects.requireNonNull(commandsJson, "commandsJson");
        }
    }

    /** Encoded commands (a JSON array) for every page of user {@code user}, on every node (topic {@code halley.users}). */
    record UserCommands(String user, String commandsJson, String origin) implements HubMessage {
        public UserCommands {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(commandsJson, "commandsJson");
        }
    }

    /**
     * {@code message} for the functions of user {@code user}'s pages in pool {@code pool} (their
     * PAGE pools, and the LOCAL pools of their sessions), on every node (topic {@code halley.users}).
     */
    record UserPoolSent(String user, String pool, String origin, Object message) implements HubMessage {
        public UserPoolSent {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(message, "message");
        }
    }

    /** User {@code user} logged out: every node ends that user's pages (topic {@code halley.users}). */
    record UserLoggedOut(String user, String origin) implements HubMessage {
        public UserLoggedOut {
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * Told by the hub, never published: messages of {@code topic} were lost on their way to this
     * node ({@code lost} of them, or -1 when the count is unknown), for example because Redis lost
     * its data or trimmed its record before this node caught up. Receivers turn it into what their
     * members can observe (a pool's {@code Gap}, a page's {@code resync}).
     */
    record TopicGap(String topic, long lost) implements HubMessage {
        public TopicGap {
            Objects.requireNonNull(topic, "topic");
        }
    }
}
