package io.halley.sample.boot;

import io.halley.core.Halley;
import io.halley.core.Page;
import io.halley.servlet.HalleyPages;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The page and the REST endpoints: {@code GET /} renders a page with a clock (a comet function per
 * page) subscribed server-side to its user's own channel; {@code POST /api/news} publishes to every
 * page, {@code POST /api/notify} to one user's pages.
 */
@RestController
public class NewsController {
    /** The channel every page may subscribe to. */
    public static final String NEWS = "news";

    private final Halley halley;

    public NewsController(Halley halley) {
        this.halley = halley;
    }

    /** The channel of one user's pages. */
    static String userChannel(String user) {
        return "user." + user;
    }

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    public String index(HttpServletRequest request, Principal user) {
        Page page = HalleyPages.open(request);
        page.subscribe(userChannel(user.getName()));
        page.comet(comet -> {
            while (comet.isAlive()) {
                comet.text("#clock", LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString()).flush();
                comet.sleep(Duration.ofSeconds(1));
            }
        });
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Halley on Spring Boot</title>
                <meta name="_csrf" content="%s"><meta name="_csrf_header" content="%s"></head><body>
                <h1>Hello, <span id="user">%s</span></h1>
                <p>Server time: <b id="clock"></b></p>
                <form id="news-form"><input id="news-text" placeholder="news for everyone"> <button>Publish</button></form>
                <ul id="news"></ul>
                <h2>For you</h2><ul id="mine"></ul>
                <p><button id="shout">Shout "hello"</button> <span id="shouted"></span></p>
                %s
                <script src="/app.js"></script>
                </body></html>
                """.formatted(csrf.getToken(), csrf.getHeaderName(), HtmlUtils.htmlEscape(user.getName()),
                HalleyPages.bootstrap(request, page));
    }

    /** Publishes {@code text} to every page subscribed to {@code news}. */
    @PostMapping("/api/news")
    public Map<String, Object> news(@RequestParam String text, Principal user) {
        halley.publish(NEWS, Map.of("from", user.getName(), "text", text));
        return Map.of("published", true);
    }

    /** Pushes {@code text} to the pages of {@code to} only. */
    @PostMapping("/api/notify")
    public Map<String, Object> notify(@RequestParam String to, @RequestParam String text, Principal user) {
        halley.publish(userChannel(to), Map.of("from", user.getName(), "text", text));
        return Map.of("sent", true);
    }
}
