/**
 * Halley in a servlet container: the public entry points an application uses. Everything under
 * {@code io.halley.servlet.internal} is implementation, public only so that these classes can
 * reach it; it may change in any release and applications must not use it.
 *
 * <ul>
 *   <li>{@link io.halley.servlet.CometServlet}: mounted at {@code /halley/*} (web-fragment,
 *       {@code web.xml} or an annotated subclass, always with async support); serves
 *       {@code halley.js}, the page transports and endpoints, {@code /comet/<channel>} and the
 *       nginx-push endpoints.</li>
 *   <li>{@link io.halley.servlet.CometSettings}: its settings (init-params of the same names).</li>
 *   <li>{@link io.halley.servlet.HalleyPages}: opens pages from server-rendered HTML and writes the
 *       bootstrap snippet.</li>
 *   <li>{@link io.halley.servlet.PagePostServlet}: an application endpoint acting on one page,
 *       checked as Halley's own endpoints are (origin, body, session, token).</li>
 *   <li>{@link io.halley.servlet.ScriptStream}: Play's Comet helper, a {@code Flow.Publisher} as a
 *       stream of {@code <script>} chunks.</li>
 *   <li>{@link io.halley.servlet.HalleySessionListener}: closes a session's pages when it ends.</li>
 *   <li>{@link io.halley.servlet.UserResolver}: who a request's user is (the container's principal by
 *       default, or an application's session attribute or token), for {@link io.halley.core.Page#user()}.</li>
 * </ul>
 *
 * <pre>{@code
 * // in a servlet or JSP that renders a page
 * Page page = HalleyPages.open(request);
 * page.comet(c -> { while (c.isAlive()) { c.update("#clock", LocalTime.now().toString()); c.flush(); c.sleep(Duration.ofSeconds(1)); } });
 * response.getWriter().println(HalleyPages.bootstrap(request, page));
 * }</pre>
 */
package io.halley.servlet;
