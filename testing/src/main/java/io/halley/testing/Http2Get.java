package io.halley.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A streamed GET over the {@link HttpBrowser}'s JDK client (its cookie jar; HTTP/2 when its server
 * speaks h2c or h2): the constructor waits (10 s at most) for the head, then the body's buffers
 * are queued as the client delivers them and read through {@link #body()}, each read bounded by
 * 10 s. {@link #kill()} cancels the body, which the JDK client sends as a RST_STREAM of this stream
 * (the connection and its other streams go on), as a browser does when a page drops its
 * {@code EventSource}. Read from one thread; kill from any.
 */
final class Http2Get implements HttpStream {
    private static final long READ_SECONDS = 10;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream raw;
    private final InputStream body = new Body();
    private volatile Flow.Subscription subscription;
    private volatile boolean killed;
    private volatile boolean cleanEnd;

    Http2Get(HttpBrowser b, URI uri, Map<String, String> extra, boolean record) throws IOException {
        this.raw = record ? new ByteArrayOutputStream() : null;
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).GET();
        extra.forEach(req::header);
        try {
            response = b.client().sendAsync(req.build(), HttpResponse.BodyHandlers.ofPublisher())
                    .get(READ_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("GET " + uri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no answer to GET " + uri + " within " + READ_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.get(0)));
        response.body().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                if (killed) s.cancel();
                else s.request(Long.MAX_VALUE); // read as fast as the server sends, as a browser does
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                for (ByteBuffer buf : item) {
                    byte[] bytes = new byte[buf.remaining()];
                    buf.get(bytes);
                    if (bytes.length > 0) queue.add(bytes);
                }
            }

            @Override
            public void onError(Throwable t) {
                queue.add(t);
            }

            @Override
            public void onComplete() {
                cleanEnd = !killed;
                queue.add(END);
            }
        });
    }

    @Override
    public int status() {
        return response.statusCode();
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public boolean cleanEnd() {
        return cleanEnd;
    }

    @Override
    public byte[] rawBytes() {
        if (raw == null) return new byte[0];
        synchronized (raw) {
            return raw.toByteArray();
        }
    }

    @Override
    public HttpClient.Version version() {
        return response.version();
    }

    @Override
    public void kill() {
        killed = true;
        Flow.Subscription s = subscription;
        if (s != null) s.cancel();
        queue.add(new IOException("stream cut by the test"));
    }

    @Override
    public void close() {
        kill();
    }

    /** The queued buffers as a stream; at its end -1 again and again. */
    private final class Body extends InputStream {
        private byte[] current = new byte[0];
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) return 0;
            while (pos == current.length) {
                if (ended) return -1;
                Object next;
                try {
                    next = queue.poll(READ_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                if (next == null) throw new SocketTimeoutException("nothing read within " + READ_SECONDS + " s");
                if (next == END) {
                    ended = true;
                } else if (next instanceof Throwable) {
                    ended = true;
                    Throwable t = (Throwable) next;
                    throw t instanceof IOException ? (IOException) t : new IOException(t);
                } else {
                    current = (byte[]) next;
                    pos = 0;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, buf, off, n);
            pos += n;
            if (raw != null) {
                synchronized (raw) {
                    raw.write(buf, off, n);
                }
            }
            return n;
        }
    }
}
