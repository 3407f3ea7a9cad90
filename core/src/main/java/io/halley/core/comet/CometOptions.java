package io.halley.core.comet;

import io.halley.core.Names;
import io.halley.core.command.Command;
import java.util.List;
import java.util.Objects;

/**
 * How to run a comet function: Nitrogen's {@code #comet{}} record. Immutable; built with
 * {@link #builder()}.
 *
 * <ul>
 *   <li>{@code pool}: the pool name; none = a private pool of the function's own (default).</li>
 *   <li>{@code scope}: {@link Scope#PAGE} (default), {@link Scope#LOCAL} or {@link Scope#GLOBAL}.</li>
 *   <li>{@code dyingMessage}: sent to the pool when the function exits for any reason (default none).</li>
 *   <li>{@code reconnectActions}: commands the client applies after its page was lost and
 *   re-opened (default none).</li>
 * </ul>
 */
public final class CometOptions {
    private final String pool;
    private final Scope scope;
    private final Object dyingMessage;
    private final List<Command> reconnectActions;

    private CometOptions(Builder b) {
        this.pool = b.pool;
        this.scope = b.scope;
        this.dyingMessage = b.dyingMessage;
        this.reconnectActions = List.copyOf(b.reconnectActions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The pool name, or null for a private pool. */
    public String pool() {
        return pool;
    }

    public Scope scope() {
        return scope;
    }

    /** The dying message, or null for none. */
    public Object dyingMessage() {
        return dyingMessage;
    }

    public List<Command> reconnectActions() {
        return reconnectActions;
    }

    public Builder toBuilder() {
        return new Builder().pool(pool).scope(scope).dyingMessage(dyingMessage).reconnectActions(reconnectActions);
    }

    /** Builder for {@link CometOptions}; not thread-safe. */
    public static final class Builder {
        private String pool;
        private Scope scope = Scope.PAGE;
        private Object dyingMessage;
        private List<Command> reconnectActions = List.of();

        private Builder() {
        }

        public Builder pool(String pool) {
            this.pool = pool == null ? null : Names.requirePool(pool);
            return this;
        }

        public Builder scope(Scope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        public Builder dyingMessage(Object message) {
            this.dyingMessage = message;
            return this;
        }

        public Builder reconnectActions(List<Command> commands) {
            this.reconnectActions = List.copyOf(Objects.requireNonNull(commands, "commands"));
            return this;
        }

        public Builder reconnectActions(Command... commands) {
            return reconnectActions(List.of(commands));
        }

        public CometOptions build() {
            return new CometOptions(this);
        }
    }
}
