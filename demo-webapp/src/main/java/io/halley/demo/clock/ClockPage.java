package io.halley.demo.clock;

import io.halley.demo.Html;
import io.halley.core.Page;
import io.halley.servlet.HalleyPages;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code GET /clock}: renders the clock page. Server-rendered with {@link HalleyPages#open} and
 * {@link HalleyPages#bootstrap}, because that is Nitrogen's model: the page exists while it is
 * rendered, so the clock function starts right here and its first frames are waiting when the
 * browser connects.
 */
public final class ClockPage extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Page page = HalleyPages.open(req);
        Clock.start(page);
        PrintWriter out = Html.begin(resp, "Clock", "Nitrogen <code>#comet{}</code>: update, flush, sleep(1 s)");
        out.println("<section class=\"card\">");
        out.println("<p class=\"big\" id=\"clock\">--:--:--</p>");
        out.println("<p class=\"muted\" id=\"ticks\">waiting for the first tick\u2026</p>");
        out.println("</section>");
        out.println("<section class=\"card\"><p>A comet function runs on the server for this page: it updates the");
        out.println("time, flushes one frame and sleeps a second, until the page goes away. If the server loses");
        out.println("the page (say it restarted, or the tab slept past the lease), the client opens a new page and");
        out.println("runs the function's <em>reconnect action</em>, which starts a fresh clock: its tick count");
        out.println("starts again at 1.</p>");
        out.println("<p class=\"muted\">Transport: <span id=\"transport\">\u2026</span></p></section>");
        Html.end(out, HalleyPages.bootstrap(req, page)
                + "\n<script src=\"js/demo.js\"></script><script src=\"js/clock.js\"></script>");
    }
}
