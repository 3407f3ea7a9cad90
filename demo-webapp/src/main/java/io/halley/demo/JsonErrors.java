package io.halley.demo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The embedded Jetty's own error answers (those no servlet wrote: a URI or headers too long, a
 * malformed request line) in Halley's shape for requests under {@code /halley/}:
 * {@code {"error":"<reason>"}} as JSON with the status, so that the client reads them as it reads
 * {@link io.halley.servlet.CometServlet}'s own errors. A request Jetty could not parse (URI or
 * headers too long, a bad request line: Jetty names its path {@code /badMessage}) is answered the
 * same way, whatever its path: Jetty no longer knows it, and it may well have been Halley's. Other
 * errors keep Jetty's HTML page. The body is the standard reason phrase only: no exception text,
 * no stack. Jetty's threads; never blocks.
 */
final class JsonErrors extends ErrorHandler {
    static final String MOUNT = "/halley";
    /** The path Jetty gives a request it could not parse (a URI or headers too long, a bad request line). */
    private static final String BAD_MESSAGE = "/badMessage";

    JsonErrors() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        boolean unparsed = path == null || path.isEmpty() || path.equals(BAD_MESSAGE);
        if (!unparsed && !path.equals(MOUNT) && !path.startsWith(MOUNT + "/")) {
            super.generateResponse(request, response, code, message, cause, callback);
            return;
        }
        String reason = HttpStatus.getMessage(code);
        byte[] body = ("{\"error\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache, no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
