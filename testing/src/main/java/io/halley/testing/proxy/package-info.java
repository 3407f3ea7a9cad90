/**
 * Real reverse proxies in front of a test server: {@link io.halley.testing.proxy.Nginx} (the
 * Debian {@code nginx} on a free port, with the {@code location /} directives a test gives) and
 * {@link io.halley.testing.proxy.Apache} (Apache httpd, {@code apache2}, with a self-contained
 * config, the proxy modules and the directives a test gives), the configurations of
 * {@code docs/deployment.md}. Each runs in the foreground from its own temporary folder; without
 * the program a test is skipped with a loud message, and fails when {@code CI} is {@code true}.
 *
 * <pre>{@code
 * try (Nginx nginx = Nginx.proxyTo(server.port(), List.of("proxy_buffering off;"))) {
 *     HttpBrowser browser = new HttpBrowser(server, nginx.origin());
 *     ...
 * }
 * }</pre>
 *
 * <p>Public API of the testing kit, for tests only.
 */
package io.halley.testing.proxy;
