package io.halley.servlet;

/**
 * A request held open by the servlet (a page stream, a {@code /comet/<channel>} stream, a waiting
 * {@code /push/sub}), counted in {@link Connections} so that the held-request limit covers all of
 * them and {@link CometServlet#destroy()} can end them.
 */
interface Held {

    /** Asks the request to end soon, as the servlet stops. Any thread; never blocks. */
    void shutdown();
}
