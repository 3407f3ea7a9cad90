package io.halley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 GET over a raw socket, so that a test can read a stream as it arrives and
 * kill the connection (TCP reset) at any point. Decodes chunked bodies and records whether the
 * stream ended cleanly (the last chunk arrived) and, optionally, every raw body byte.
 *
 * <p>Blocking: the constructor sends the request; the head and body are read on the calling thread
 * (each read bounded by a 10 s socket timeout). Read it from one thread; {@link #kill()} may come
 * from another.
 */
public final class RawHttp implements HttpStream {
    private final Socket socket;
    private final InputStream in;
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private InputStream body;
    private volatile boolean cleanEnd;
    private final ByteArrayOutputStream raw;

    private RawHttp(URI uri, String cookie, Map<String, String> extra, Duration readTimeout, boolean record) throws IOException {
        this.raw = record ? new ByteArrayOutputStream() : null;
        socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        StringBuilder req = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        if (cookie != null && !cookie.isEmpty()) req.append("Cookie: ").append(cookie).append("\r\n");
        extra.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        req.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        in = new java.io.BufferedInputStream(socket.getInputStream(), 16384);
    }

    /** Reads the status line and headers once (blocks until the server answers). */
    private synchronized void head() throws IOException {
        if (body != null) return;
        String statusLine = line();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) throw new IOException("bad status line: " + statusLine);
        status = Integer.parseInt(statusLine.substring(9, 12));
        String h;
        while ((h = line()) != null && !h.isEmpty()) {
            int c = h.indexOf(':');
            headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) body = new Chunked();
        else if (headers.containsKey("content-length")) body = new Limited(Long.parseLong(headers.get("content-length")));
        else body = in;
    }

    /** The status (reads the head if needed). */
    public int status() throws IOException {
        head();
        return status;
    }

    /** The response headers, names in lower case (reads the head if needed). */
    public Map<String, String> headers() throws IOException {
        head();
        return headers;
    }

    /** Sends a GET for {@code uri} with the cookie and extra headers; the answer is read lazily. */
    public static RawHttp get(URI uri, String cookie, Map<String, String> extra, boolean recordRaw) throws IOException {
        return new RawHttp(uri, cookie, extra, Duration.ofSeconds(10), recordRaw);
    }

    /** The decoded body; read() returns -1 at its end. */
    public InputStream body() throws IOException {
        head();
        return body;
    }

    /** Whether the chunked body ended with its last chunk (a clean end), or the length was reached. */
    public boolean cleanEnd() {
        return cleanEnd;
    }

    /** Every body payload byte read so far (chunk framing removed), when recording. */
    public byte[] rawBytes() {
        synchronized (raw) {
            return raw.toByteArray();
        }
    }

    /** {@code HTTP_1_1}: this is an HTTP/1.1 request. */
    @Override
    public java.net.http.HttpClient.Version version() {
        return java.net.http.HttpClient.Version.HTTP_1_1;
    }

    /** Resets the connection (RST), as a crashed browser or a dropped network would. */
    public void kill() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (c != '\r') b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private void record(byte[] buf, int off, int n) {
        if (raw != null && n > 0) {
            synchronized (raw) {
                raw.write(buf, off, n);
            }
        }
    }

    private final class Chunked extends InputStream {
        private long left;
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (done) return -1;
            if (left == 0) {
                String size = line();
                if (size == null) return -1; // connection closed without the last chunk
                if (size.isEmpty()) size = line(); // CRLF after the previous chunk
                if (size == null) return -1;
                int semi = size.indexOf(';');
                left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (left == 0) {
                    while (true) { // trailers
                        String t = line();
                        if (t == null || t.isEmpty()) break;
                    }
                    done = true;
                    cleanEnd = true;
                    return -1;
                }
            }
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n < 0) return -1;
            left -= n;
            record(buf, off, n);
            return n;
        }
    }

    private final class Limited extends InputStream {
        private long left;

        Limited(long length) {
            this.left = length;
            if (length == 0) cleanEnd = true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left == 0) return -1;
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n < 0) return -1;
            left -= n;
            record(buf, off, n);
            if (left == 0) cleanEnd = true;
            return n;
        }
    }
}
