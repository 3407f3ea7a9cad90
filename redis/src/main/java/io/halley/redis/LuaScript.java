package io.halley.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script run atomically on Redis with EVALSHA, falling back to EVAL when the server does
 * not know it (first use, or after Redis restarted and lost its script cache). Immutable and
 * thread-safe; {@link #run} blocks up to the connection's command timeout, {@link #runAsync} never
 * blocks. On a cluster connection the script runs on the master of its first key's slot; every
 * key it is given must be in that slot (the callers' keys share a {@code {…}} hash tag).
 */
final class LuaScript {
    private final String text;
    private final String sha1;

    LuaScript(String text) {
        this.text = text;
        this.sha1 = sha1(text);
    }

    /** Runs the script; throws Lettuce's {@code RedisException}s. */
    <T> T run(RedisClusterCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        try {
            return redis.evalsha(sha1, type, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(text, type, keys, args);
        }
    }

    /** Runs the script without blocking; the future fails with Lettuce's {@code RedisException}s. */
    <T> CompletableFuture<T> runAsync(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        return redis.<T>evalsha(sha1, type, keys, args).toCompletableFuture()
                .handle((r, e) -> {
                    if (e == null) return CompletableFuture.completedFuture(r);
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof RedisNoScriptException) return redis.<T>eval(text, type, keys, args).toCompletableFuture();
                    return CompletableFuture.<T>failedFuture(cause);
                })
                .thenCompose(f -> f);
    }

    private static String sha1(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
