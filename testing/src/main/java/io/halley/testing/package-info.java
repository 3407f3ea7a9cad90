/**
 * halley-testing: test a Halley application with real parts, as OkHttp's {@code mockwebserver}
 * ships for OkHttp. For tests only (add it with {@code <scope>test</scope>}); every class here is
 * public API of the kit, the rest is package-private.
 *
 * <ul>
 *   <li>{@link io.halley.testing.TestServer}: embedded Jetty 12 (ee10) on a random loopback port
 *       with a {@code CometServlet}, sessions and extra servlets; {@code close()} checks for leaks.</li>
 *   <li>{@link io.halley.testing.HttpBrowser}: an HTTP client with a cookie jar that opens pages and
 *       posts to them as halley.js does; {@link io.halley.testing.Transport} opens a page's
 *       {@link io.halley.testing.FrameStream} (SSE, iframe, poll, WebSocket) and reads it frame by frame;
 *       {@link io.halley.testing.SseFeed} collects an SSE stream in the background;
 *       {@link io.halley.testing.RawHttp} is a GET over a raw socket that a test can reset.</li>
 *   <li>{@code io.halley.testing.http2}: the server's protocol ({@code TestServer.Builder#http2}: HTTP/1.1,
 *       h2c, h2 over TLS with a self-signed certificate); an {@code HttpBrowser} of such a server
 *       speaks HTTP/2 and its SSE, iframe and poll streams are HTTP/2 streams.</li>
 *   <li>{@link io.halley.testing.Chromium} starts headless Chromium; a
 *       {@link io.halley.testing.BrowserPage} drives it; {@link io.halley.testing.ScreenshotOnFailure}
 *       keeps a PNG of each open browser when a test fails.</li>
 *   <li>{@link io.halley.testing.RedisServer}: a real {@code redis-server} process on a free port
 *       (kill, restart empty or keeping its data, pause with SIGSTOP); {@link io.halley.testing.RedisSentinels}:
 *       a master, a replica and three sentinels.</li>
 *   <li>{@code io.halley.testing.proxy}: a real {@code nginx} or Apache httpd on a free port in front of a
 *       test server, with the directives a test gives (the configurations of {@code docs/deployment.md}).</li>
 *   <li>{@link io.halley.testing.Await}: the bounded wait; {@link io.halley.testing.LeakCheck}: no
 *       {@code halley-} thread, held request, live page or open browser left after a test;
 *       {@link io.halley.testing.Ports}: a free port; {@link io.halley.testing.ExternalPrograms}: the
 *       rule for a missing program, shared with the subpackages.</li>
 * </ul>
 *
 * <p>Chromium, {@code redis-server}, nginx and Apache httpd are external programs: without them a test is skipped
 * with a loud message, and fails when the environment variable {@code CI} is {@code true}.
 *
 * <pre>{@code
 * @Test
 * void greetsTheCaller() throws Exception {
 *     try (TestServer server = TestServer.jetty().start()) {
 *         server.halley().register("greet", (reply, args) -> "hello " + args.get(0).getAsString());
 *         HttpBrowser browser = new HttpBrowser(server);
 *         HttpBrowser.PageRef page = browser.openPage();
 *         HttpBrowser.Resp r = browser.pagePost(page, "/call/greet", "\"args\":[\"Ada\"]");
 *         assertEquals(200, r.status());
 *     }
 * }
 * }</pre>
 */
package io.halley.testing;
