package io.halley.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonParseException;
import io.halley.core.command.Command;
import io.halley.core.internal.CometExecutor;
import io.halley.core.internal.Json;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named callbacks: handlers registered one by one, and the methods of registered objects with
 * their JSON arguments converted to the parameter types by Gson. Converting happens in
 * {@link #prepare}, on the request thread, so bad arguments are refused before anything runs.
 */
final class CallbackRegistry {

    /** A call ready to run: arguments already converted. */
    interface Prepared {
        Object run(CallResponse response) throws Exception;
    }

    private interface Target {
        Prepared prepare(String name, JsonArray args);

        /** The role a caller needs, or null. */
        default String role() {
            return null;
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CallbackRegistry.class);
    private static final java.util.regex.Pattern CALL_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,40}");
    private static final java.util.concurrent.atomic.AtomicLong CALL_IDS = new java.util.concurrent.atomic.AtomicLong();

    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final io.halley.core.metrics.RunMeters meters;

    /** @param meters counts the callbacks run and those that ended with {@code fail} */
    CallbackRegistry(io.halley.core.metrics.RunMeters meters) {
        this.meters = meters;
    }

    void register(String name, String role, CallbackHandler handler) {
        requireName(name);
        Objects.requireNonNull(handler, "handler");
        String needed = role == null || role.isEmpty() ? null : role;
        targets.put(name, new Target() {
            @Override
            public Prepared prepare(String n, JsonArray args) {
                return response -> handler.call(response, args);
            }

            @Override
            public String role() {
                return needed;
            }
        });
    }

    /** Registers the exposed methods of {@code object}; returns their names. */
    List<String> registerObject(Object object) {
        Objects.requireNonNull(object, "object");
        Class<?> type = object.getClass();
        Method[] declared = type.getDeclaredMethods();
        Arrays.sort(declared, Comparator.comparing(Method::getName));
        boolean annotatedOnly = Arrays.stream(declared).anyMatch(m -> m.isAnnotationPresent(Callback.class));
        List<Method> exposed = new ArrayList<>();
        for (Method m : declared) {
            if (m.isSynthetic() || m.isBridge() || !Modifier.isPublic(m.getModifiers())) continue;
            if (annotatedOnly && !m.isAnnotationPresent(Callback.class)) continue;
            exposed.add(m);
        }
        Map<String, Method> byName = new java.util.LinkedHashMap<>();
        for (Method m : exposed) {
            Callback a = m.getAnnotation(Callback.class);
            String name = a != null && !a.value().isEmpty() ? a.value() : m.getName();
            requireName(name);
            if (byName.put(name, m) != null) {
                throw new IllegalArgumentException("two exposed methods named '" + name + "' in " + type.getName()
                        + ": overloads cannot be told apart from JSON");
            }
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            for (Method m : byName.values()) m.setAccessible(true);
        }
        byName.forEach((name, m) -> targets.put(name, new MethodTarget(object, m)));
        return List.copyOf(byName.keySet());
    }

    /**
     * Looks up {@code name} and converts {@code args}.
     *
     * @throws HalleyException NOT_FOUND for an unknown name, BAD_INPUT for wrong arguments
     */
    Prepared prepare(String name, JsonArray args) {
        Target t = name == null ? null : targets.get(name);
        if (t == null) throw new HalleyException(HalleyException.Kind.NOT_FOUND, "unknown callback: " + Names.abbreviate(name));
        return t.prepare(name, args == null ? new JsonArray() : args);
    }

    /**
     * Prepares and starts a call on {@code executor}; returns the call id (the client's when it is
     * well-formed, else a fresh one). The final frame carries {@code done} or {@code fail}.
     *
     * @throws HalleyException NOT_FOUND, BAD_INPUT (see {@link #prepare}), LIMIT when no thread is free
     */
    String start(Page page, String name, JsonArray args, String clientCallId, CometExecutor executor) {
        Target t = name == null ? null : targets.get(name);
        if (t != null && t.role() != null && !page.user().hasRole(t.role())) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "callback " + Names.abbreviate(name)
                    + " requires role '" + t.role() + "'");
        }
        Prepared prepared = prepare(name, args);
        String id = clientCallId != null && CALL_ID.matcher(clientCallId).matches()
                ? clientCallId : "c" + CALL_IDS.incrementAndGet();
        CallResponse response = new CallResponse(page, id);
        executor.execute(() -> run(name, prepared, response));
        return id;
    }

    private void run(String name, Prepared prepared, CallResponse response) {
        Command last;
        meters.ran();
        try {
            Object result = prepared.run(response);
            last = new Command.Done(response.callId(), Json.toTree(result));
        } catch (HalleyException e) {
            last = new Command.Fail(response.callId(), e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.warn("callback {} failed", name, e);
            last = new Command.Fail(response.callId(), "callback failed");
        }
        if (last instanceof Command.Fail) meters.failed();
        try {
            response.finish(last);
        } catch (HalleyException e) {
            LOG.debug("final frame of callback {} refused: {}", name, e.getMessage());
            if (e.kind() == HalleyException.Kind.TOO_LARGE) {
                if (!(last instanceof Command.Fail)) meters.failed();
                response.page().flush(List.of(new Command.Fail(response.callId(), "result too large")));
            }
        }
    }

    boolean contains(String name) {
        return targets.containsKey(name);
    }

    private static void requireName(String name) {
        if (!Names.isDottedIdentifier(name)) {
            throw new IllegalArgumentException("invalid callback name: '" + Names.abbreviate(name) + "'");
        }
    }

    /** A method of a registered object; an optional first {@link CallResponse} parameter. */
    private static final class MethodTarget implements Target {
        private final Object object;
        private final Method method;
        private final boolean takesResponse;
        private final Type[] argTypes;
        private final String role;

        @Override
        public String role() {
            return role;
        }

        MethodTarget(Object object, Method method) {
            Callback a = method.getAnnotation(Callback.class);
            this.role = a == null || a.role().isEmpty() ? null : a.role();
            this.object = Modifier.isStatic(method.getModifiers()) ? null : object;
            this.method = method;
            Type[] all = method.getGenericParameterTypes();
            this.takesResponse = all.length > 0 && all[0] == CallResponse.class;
            this.argTypes = takesResponse ? Arrays.copyOfRange(all, 1, all.length) : all;
        }

        @Override
        public Prepared prepare(String name, JsonArray args) {
            if (args.size() != argTypes.length) {
                throw new HalleyException(HalleyException.Kind.BAD_INPUT, "callback " + name + " takes "
                        + argTypes.length + " argument(s), got " + args.size());
            }
            Object[] values = new Object[argTypes.length + (takesResponse ? 1 : 0)];
            int offset = takesResponse ? 1 : 0;
            for (int i = 0; i < argTypes.length; i++) {
                values[i + offset] = convert(name, i, args.get(i), argTypes[i]);
            }
            return response -> {
                if (takesResponse) values[0] = response;
                try {
                    return method.invoke(object, values);
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Exception) throw (Exception) cause;
                    throw e;
                }
            };
        }

        private static Object convert(String name, int index, JsonElement value, Type type) {
            boolean primitive = type instanceof Class && ((Class<?>) type).isPrimitive();
            if (primitive && (value == null || value instanceof JsonNull)) {
                throw bad(name, index, type, "null");
            }
            try {
                if (primitive || type == String.class || isBoxedScalar(type)) {
                    if (!value.isJsonPrimitive() && !(value instanceof JsonNull)) throw bad(name, index, type, kind(value));
                    if (type == String.class && value.isJsonPrimitive() && !value.getAsJsonPrimitive().isString()) {
                        throw bad(name, index, type, kind(value));
                    }
                    if (type != String.class && type != char.class && type != Character.class
                            && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
                        throw bad(name, index, type, "string");
                    }
                }
                Object exact = exactInteger(value, type);
                if (exact != null) return exact;
                return Json.GSON.fromJson(value, type);
            } catch (JsonParseException | NumberFormatException | IllegalStateException | UnsupportedOperationException e) {
                throw bad(name, index, type, kind(value));
            }
        }

        /** Integral targets take only integral numbers in range (Gson would truncate 1.5 to 1). */
        private static Object exactInteger(JsonElement value, Type t) {
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) return null;
            try {
                java.math.BigDecimal d = new java.math.BigDecimal(value.getAsString());
                if (t == int.class || t == Integer.class) return d.intValueExact();
                if (t == long.class || t == Long.class) return d.longValueExact();
                if (t == short.class || t == Short.class) return d.shortValueExact();
                if (t == byte.class || t == Byte.class) return d.byteValueExact();
                return null;
            } catch (ArithmeticException e) {
                throw new NumberFormatException(value.getAsString());
            }
        }

        private static boolean isBoxedScalar(Type t) {
            return t == Integer.class || t == Long.class || t == Double.class || t == Float.class || t == Short.class
                    || t == Byte.class || t == Boolean.class || t == Character.class;
        }

        private static String kind(JsonElement v) {
            if (v == null || v.isJsonNull()) return "null";
            if (v.isJsonArray()) return "array";
            if (v.isJsonObject()) return "object";
            if (v.getAsJsonPrimitive().isString()) return "string";
            if (v.getAsJsonPrimitive().isBoolean()) return "boolean";
            return "number " + v.getAsString();
        }

        private static HalleyException bad(String name, int index, Type type, String got) {
            String expected = type instanceof Class ? ((Class<?>) type).getSimpleName() : type.getTypeName();
            return new HalleyException(HalleyException.Kind.BAD_INPUT, "argument " + (index + 1) + " of callback "
                    + name + ": expected " + expected + ", got " + got);
        }
    }
}
