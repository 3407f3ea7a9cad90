package io.halley.servlet.internal.push;

import com.google.gson.JsonObject;
import io.halley.servlet.internal.Http;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One answer of the nginx-push subscriber: a message (200 with its body, type, {@code Etag} and
 * {@code Last-Modified}), the empty 200 that ends a wait with nothing new (the same validators the
 * client sent, so that it asks again from the same place; never 304), or a JSON error.
 *
 * @param status       the HTTP status
 * @param contentType  the body's type
 * @param body         the body (not copied)
 * @param etag         the {@code Etag}, or null
 * @param lastModified the {@code Last-Modified} HTTP date, or null
 */
public record PushReply(int status, String contentType, byte[] body, String etag, String lastModified) {
    private static final byte[] EMPTY = new byte[0];

    static PushReply message(PushMessage m) {
        return new PushReply(200, m.contentType(), m.body(), m.etag(), PushMessage.httpDate(m.time()));
    }

    /** Nothing after {@code after}: an empty text 200 naming the same position. */
    static PushReply nothingNew(long after, String lastModified) {
        return new PushReply(200, PushMessage.TEXT, EMPTY, PushMessage.etag(after), lastModified);
    }

    static PushReply error(int status, String message) {
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        return new PushReply(status, Http.JSON, Http.GSON.toJson(o).getBytes(StandardCharsets.UTF_8), null, null);
    }

    /** Sets the status and headers (nothing is written). */
    void prepare(HttpServletResponse resp) {
        resp.setStatus(status);
        Http.noCache(resp);
        resp.setContentType(contentType);
        resp.setContentLength(body.length);
        if (etag != null) resp.setHeader("Etag", etag);
        if (lastModified != null) resp.setHeader("Last-Modified", lastModified);
    }

    /** Writes the whole answer on the request's thread (a small blocking write). */
    void send(HttpServletResponse resp) throws IOException {
        prepare(resp);
        resp.getOutputStream().write(body);
    }
}
