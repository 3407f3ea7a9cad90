package io.halley.demo.chat;

import io.halley.core.comet.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat's names by pool member, on this node. Members of this node are recorded by their own
 * function ({@link #named}); members of any node when their {@code ChatEvent.Here} is read
 * ({@link #heard}). A member is forgotten when its function exits or its {@code Leave} is read
 * ({@link #forget}), and the members of other nodes when the last member of this node left
 * ({@link #forgetRemote}: nobody here reads their {@code Leave} any more). Thread-safe.
 */
public final class Roster {
    private final Map<Member, String> names = new ConcurrentHashMap<>();
    private final Set<Member> local = ConcurrentHashMap.newKeySet();

    /** Records the name of {@code member}, a function of this node; called by the function itself. */
    void named(Member member, String name) {
        local.add(member);
        names.put(member, name);
    }

    /** Records the name of a member of any node, read from its {@code Here}; a no-op once it left. */
    void heard(Member member, String name) {
        names.putIfAbsent(member, name);
    }

    /** Forgets {@code member}. */
    void forget(Member member) {
        local.remove(member);
        names.remove(member);
    }

    /** Whether a member of this node is in the chat now. */
    boolean anyLocal() {
        return !local.isEmpty();
    }

    /** Forgets every member of other nodes. */
    void forgetRemote() {
        names.keySet().removeIf(m -> !local.contains(m));
    }

    /** The names known now, in no particular order. */
    List<String> names() {
        return new ArrayList<>(names.values());
    }
}
