package io.halley.demo;

import io.halley.core.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The chat's names by pool member. A pool announces a newcomer as {@code Join(member)} before
 * the newcomer's function has run a line, so the function that reads the {@code Join} may ask for
 * a name that is not there yet: {@link #nameOf} waits (boundedly) for the newcomer's
 * {@link #named} call. Thread-safe; one node only, like the in-memory hub it goes with.
 */
final class Roster {
    private final ConcurrentMap<Member, CompletableFuture<String>> names = new ConcurrentHashMap<>();

    /** Records {@code member}'s name; called by the member's own function when it starts. */
    void named(Member member, String name) {
        names.computeIfAbsent(member, m -> new CompletableFuture<>()).complete(name);
    }

    /** Forgets {@code member}; called by its function when it exits. */
    void forget(Member member) {
        names.remove(member);
    }

    /**
     * The name of {@code member}, waiting up to {@code wait} for it to be recorded.
     *
     * @return the name, or null if none came in time (the member already left)
     * @throws InterruptedException when the calling function is interrupted (its page died)
     */
    String nameOf(Member member, Duration wait) throws InterruptedException {
        CompletableFuture<String> f = names.computeIfAbsent(member, m -> new CompletableFuture<>());
        try {
            return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            names.remove(member, f); // never named: do not keep the empty entry
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the members on this node now, in no particular order. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (CompletableFuture<String> f : names.values()) {
            String n = f.getNow(null);
            if (n != null) out.add(n);
        }
        return out;
    }
}
