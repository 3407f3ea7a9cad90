package io.halley.demo;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * HTML helpers for the server-rendered demo pages: escaping untrusted text for element content
 * and attributes, and the shared page frame (viewport meta, the one stylesheet, a link home).
 * URLs are relative, so the pages work under any context path. Stateless.
 */
public final class Html {

    private Html() {
    }

    /** {@code text} escaped for HTML element content and quoted attribute values. */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Starts an HTML response: headers, {@code <head>} and the page heading. {@code title} and
     * {@code seed} are trusted constants of the demo.
     */
    public static PrintWriter begin(HttpServletResponse resp, String title, String seed) throws IOException {
        resp.setContentType("text/html; charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        PrintWriter out = resp.getWriter();
        out.println("<!DOCTYPE html>");
        out.println("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<title>" + title + " \u2014 Halley demo</title>");
        out.println("<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">");
        out.println("<link rel=\"stylesheet\" href=\"css/demo.css\">");
        out.println("</head><body>");
        out.println("<header><a class=\"home\" href=\"./\">Halley demos</a>");
        out.println("<h1>" + title + "</h1><p class=\"seed\">" + seed + "</p></header>");
        out.println("<main>");
        return out;
    }

    /** Ends the page: closes {@code <main>}, then writes {@code tail} (scripts) and the closing tags. */
    public static void end(PrintWriter out, String tail) {
        out.println("</main>");
        out.println(tail);
        out.println("</body></html>");
    }
}
