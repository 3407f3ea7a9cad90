package io.halley.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;

/**
 * One streamed GET of a {@link FrameStream}: over a raw HTTP/1.1 socket ({@link RawHttp}) for a
 * server of plain HTTP/1.1, or over the browser's JDK client ({@link Http2Get}: h2c or h2 over TLS)
 * for a server speaking HTTP/2. Reads are bounded (10 s); read from one thread, {@link #kill()}
 * from any.
 */
interface HttpStream extends AutoCloseable {
    /** The status (blocks until the head arrived). */
    int status() throws IOException;

    /** The response headers, names in lower case, first values. */
    Map<String, String> headers() throws IOException;

    /** The decoded body; -1 at its end. */
    InputStream body() throws IOException;

    /** Whether the body ended as the server ended it (last chunk, length reached, END_STREAM). */
    boolean cleanEnd();

    /** Every body byte read so far, when recording. */
    byte[] rawBytes();

    /** The protocol of the response. */
    HttpClient.Version version();

    /** Cuts the response: a TCP reset over HTTP/1.1, a RST_STREAM of this stream only over HTTP/2. */
    void kill();

    @Override
    void close();

    /** A GET of {@code uri} by {@code b} (its cookies, and {@code headers}) the way its server's protocol needs. */
    static HttpStream get(HttpBrowser b, URI uri, Map<String, String> headers, boolean record) throws IOException {
        if (b.server() != null && b.server().http2Mode().http2()) return new Http2Get(b, uri, headers, record);
        return RawHttp.get(uri, b.cookieHeader(), headers, record);
    }
}
