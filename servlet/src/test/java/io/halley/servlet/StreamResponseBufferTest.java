package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.halley.testing.Await;
import io.halley.testing.FrameStream;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import io.halley.testing.Transport;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A held stream asks its container for {@code streamResponseBuffer} bytes of response buffer,
 * which Jetty keeps (a pooled direct buffer) for as long as the stream is held; a long-poll's
 * answer, one write, keeps the container's own size, and so does every stream by default. Read
 * from Jetty's response after the servlet returned, by a filter in front of it.
 */
class StreamResponseBufferTest {
    private static final int JETTY_DEFAULT = new HttpConfiguration().getOutputBufferSize();
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "IFRAME", "POLL"})
    void aHeldStreamKeepsTheConfiguredResponseBufferAndAPollTheContainers(Transport t) {
        assertEquals(t == Transport.POLL ? JETTY_DEFAULT : 4096, bufferOf(t, "4096"));
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "IFRAME", "POLL"})
    void byDefaultEveryStreamKeepsTheContainersResponseBuffer(Transport t) {
        assertEquals(JETTY_DEFAULT, bufferOf(t, null));
    }

    /** The response buffer Jetty had for {@code t}'s request once the servlet returned, with {@code setting} (null: none). */
    private int bufferOf(Transport t, String setting) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Map<String, Integer> seen = new ConcurrentHashMap<>();
            Filter record = (req, resp, chain) -> {
                chain.doFilter(req, resp);
                seen.put(((HttpServletRequest) req).getPathInfo(), resp.getBufferSize());
            };
            TestServer.Builder builder = TestServer.jetty().initParams(TestServer.fastParams());
            if (setting != null) builder.initParam("streamResponseBuffer", setting);
            server = builder.jettyContext(c -> c.addFilter(new FilterHolder(record), "/halley/*", EnumSet.of(DispatcherType.REQUEST)))
                    .start();
            HttpBrowser b = new HttpBrowser(server);
            HttpBrowser.PageRef p = b.openPage();
            server.page(p.page()).writer().text("#a", "1").flush();
            FrameStream s = t.open(b, p.page(), 0);
            s.next();
            String path = "/" + t.name().toLowerCase(java.util.Locale.ROOT);
            Await.until("the filter saw " + path, Duration.ofSeconds(5), () -> seen.containsKey(path));
            s.close();
            return seen.get(path);
        });
    }
}
