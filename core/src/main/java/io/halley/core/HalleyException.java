package io.halley.core;

/**
 * An expected failure with a kind that a transport maps to a response status (400, 403, 404,
 * 410, 413, 429). The message is safe to show to a client: it never carries a stack trace, a page
 * token or another session's data.
 */
public class HalleyException extends RuntimeException {

    /** What went wrong, in the terms a client can act on. */
    public enum Kind {
        /** Malformed or invalid input (400). */
        BAD_INPUT(400),
        /** Wrong session, token or origin, or a policy refusal (403). */
        FORBIDDEN(403),
        /** Unknown page, callback or route (404). */
        NOT_FOUND(404),
        /** The page died (410): the client re-opens it and runs its reconnect actions. */
        GONE(410),
        /** A body or message over its size limit (413). */
        TOO_LARGE(413),
        /** A count limit was reached (429). */
        LIMIT(429),
        /** A backing service (such as Redis) cannot be reached now; retry later (503). */
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status a transport answers with. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;

    public HalleyException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** For failures with a cause worth logging (a backing service's error); keeps the stack trace. */
    protected HalleyException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
