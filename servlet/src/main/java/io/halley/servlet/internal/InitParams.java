package io.halley.servlet.internal;

import io.halley.core.ExecutorMode;
import io.halley.core.Halley;
import io.halley.servlet.CometSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Servlet init-params to settings. Names are the builder method names of
 * {@link Halley#builder()} and {@link CometSettings#builder()}: durations as ISO-8601
 * ({@code PT20S}) or seconds ({@code 20}, {@code 0.5}), counts and sizes as plain integers,
 * {@code executor} as {@code AUTO}/{@code VIRTUAL}/{@code PLATFORM}, {@code allowedOrigins}
 * separated by commas or spaces, {@code cspNonceAttribute} a request attribute name. Unknown names
 * are returned for the caller to warn about. Stateless.
 */
public final class InitParams {

    /** Init-params that configure the runtime (ignored when the application provided one). */
    public static final Set<String> HALLEY = Set.of("pageLease", "goneMemory", "replayFrames", "replayBytes",
            "maxPagesPerSession", "maxFunctionsPerPage", "maxCometThreads", "executor", "mailboxCapacity",
            "channelHistory", "maxChannelsPerPage", "maxMessageBytes", "nodeId");

    /** Init-params that configure the servlet. */
    static final Set<String> SERVLET = Set.of("heartbeat", "pollTimeout", "iframeBudget", "iframePadding",
            "maxBodyBytes", "allowedOrigins", "cspNonceAttribute", "maxHeldConnections", "channelStreamBuffer",
            "pushTimeout", "pushBuffer", "pushPublisher", "createSessions");

    private InitParams() {
    }

    /**
     * Applies the init-params in {@code params} to the builders ({@code halley} may be null when
     * the application provided the runtime).
     *
     * @return the names that are neither runtime nor servlet settings
     * @throws IllegalArgumentException naming the init-param and its bad value
     */
    public static List<String> apply(Map<String, String> params, Halley.Builder halley, CometSettings.Builder servlet) {
        Map<String, String> unknown = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String name = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().trim();
            try {
                if (SERVLET.contains(name)) applyServlet(name, v, servlet);
                else if (HALLEY.contains(name)) {
                    if (halley != null) applyHalley(name, v, halley);
                } else unknown.put(name, v);
            } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException ex) {
                String shown = name.equals("pushPublisher") ? "(not shown)" : "'" + v + "'"; // may be a secret
                throw new IllegalArgumentException("init-param " + name + ": bad value " + shown + " (" + ex.getMessage() + ")");
            }
        }
        return List.copyOf(unknown.keySet());
    }

    private static void applyServlet(String name, String v, CometSettings.Builder b) {
        switch (name) {
            case "heartbeat": b.heartbeat(duration(v)); break;
            case "pollTimeout": b.pollTimeout(duration(v)); break;
            case "iframeBudget": b.iframeBudget(Long.parseLong(v)); break;
            case "iframePadding": b.iframePadding(Integer.parseInt(v)); break;
            case "maxBodyBytes": b.maxBodyBytes(Integer.parseInt(v)); break;
            case "maxHeldConnections": b.maxHeldConnections(Integer.parseInt(v)); break;
            case "channelStreamBuffer": b.channelStreamBuffer(Integer.parseInt(v)); break;
            case "pushTimeout": b.pushTimeout(duration(v)); break;
            case "pushBuffer": b.pushBuffer(Integer.parseInt(v)); break;
            case "pushPublisher": b.pushPublisher(v); break;
            case "createSessions":
                if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException("true or false");
                b.createSessions(Boolean.parseBoolean(v));
                break;
            case "allowedOrigins":
                b.allowedOrigins(Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isEmpty()).map(OriginPolicy::normalize).toList());
                break;
            case "cspNonceAttribute":
                if (v.isEmpty()) throw new IllegalArgumentException("empty attribute name");
                b.cspNonceAttribute(v);
                break;
            default: throw new IllegalStateException(name);
        }
    }

    private static void applyHalley(String name, String v, Halley.Builder b) {
        switch (name) {
            case "pageLease": b.pageLease(duration(v)); break;
            case "goneMemory": b.goneMemory(duration(v)); break;
            case "replayFrames": b.replayFrames(Integer.parseInt(v)); break;
            case "replayBytes": b.replayBytes(Long.parseLong(v)); break;
            case "maxPagesPerSession": b.maxPagesPerSession(Integer.parseInt(v)); break;
            case "maxFunctionsPerPage": b.maxFunctionsPerPage(Integer.parseInt(v)); break;
            case "maxCometThreads": b.maxCometThreads(Integer.parseInt(v)); break;
            case "executor": b.executor(ExecutorMode.valueOf(v.toUpperCase(Locale.ROOT))); break;
            case "mailboxCapacity": b.mailboxCapacity(Integer.parseInt(v)); break;
            case "channelHistory": b.channelHistory(Integer.parseInt(v)); break;
            case "maxChannelsPerPage": b.maxChannelsPerPage(Integer.parseInt(v)); break;
            case "maxMessageBytes": b.maxMessageBytes(Integer.parseInt(v)); break;
            case "nodeId": b.nodeId(v); break;
            default: throw new IllegalStateException(name);
        }
    }

    /** ISO-8601 ({@code PT20S}) or a number of seconds ({@code 20}, {@code 0.25}). */
    static Duration duration(String v) {
        if (v.isEmpty()) throw new IllegalArgumentException("empty duration");
        char c = v.charAt(0);
        if (c == 'P' || c == 'p' || c == '-' && v.length() > 1 && (v.charAt(1) == 'P' || v.charAt(1) == 'p')) {
            return Duration.parse(v);
        }
        BigDecimal seconds = new BigDecimal(v);
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }
}
