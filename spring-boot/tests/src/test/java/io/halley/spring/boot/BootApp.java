package io.halley.spring.boot;

import io.halley.core.ActionHandler;
import io.halley.core.Callback;
import io.halley.core.ChannelPolicy;
import io.halley.core.Page;
import io.halley.core.PageListener;
import io.halley.servlet.HalleyPages;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application of the Boot tests: Spring MVC and Spring Security (CSRF on, everything
 * permitted, HTTP Basic for the one user {@code alice} with role {@code USER}) with the starter; a page with a comet function, a channel, a callback bean, an
 * action bean, a page listener and a channel policy, all picked up by the auto-configuration.
 */
@SpringBootApplication
public class BootApp {

    /** Counts the pages opened (a {@link PageListener} bean). */
    public static final class Opened implements PageListener {
        public final AtomicInteger count = new AtomicInteger();

        @Override
        public void opened(Page page) {
            count.incrementAndGet();
        }
    }

    /** A bean with a streamed callback. */
    public static final class Greeter {
        @Callback("greet")
        public String greet(String name) {
            return "hello " + name;
        }
    }

    @Bean
    Opened opened() {
        return new Opened();
    }

    @Bean
    Greeter greeter() {
        return new Greeter();
    }

    @Bean("echo")
    ActionHandler echo() {
        return params -> params;
    }

    @Bean
    ChannelPolicy channelPolicy() {
        return ChannelPolicy.defaults().allowPublish("chat"::equals);
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().permitAll()) // CSRF stays on (the default)
                .httpBasic(org.springframework.security.config.Customizer.withDefaults()).build();
    }

    /** The one signed-in user of the tests: {@code alice} / {@code secret}, role {@code USER}. */
    @Bean
    org.springframework.security.core.userdetails.UserDetailsService users() {
        return new org.springframework.security.provisioning.InMemoryUserDetailsManager(
                org.springframework.security.core.userdetails.User.withUsername("alice").password("{noop}secret").roles("USER").build());
    }

    /** A page with a comet function ticking every 100 ms, subscribed to {@code news}. */
    @RestController
    public static class Pages {
        private final io.halley.core.Halley halley;

        public Pages(io.halley.core.Halley halley) {
            this.halley = halley;
        }

        @GetMapping(value = "/clock", produces = "text/html;charset=UTF-8")
        public String clock(HttpServletRequest request) {
            Page page = HalleyPages.open(request);
            page.subscribe("news");
            page.comet(comet -> {
                int n = 0;
                while (comet.isAlive()) {
                    comet.text("#clock", "tick " + ++n).flush();
                    comet.sleep(Duration.ofMillis(100));
                }
            });
            CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            return "<!doctype html><meta name=\"_csrf\" content=\"" + csrf.getToken() + "\">"
                    + "<meta name=\"_csrf_header\" content=\"" + csrf.getHeaderName() + "\">"
                    + "<meta name=\"halley-page\" content=\"" + page.id() + "\">"
                    + "<meta name=\"halley-token\" content=\"" + page.token() + "\">"
                    + "<title>Clock</title><p id=\"clock\"></p>"
                    + HalleyPages.bootstrap(request, page)
                    + "<script>Halley.connect({headers: {[document.querySelector('meta[name=_csrf_header]').content]:"
                    + " document.querySelector('meta[name=_csrf]').content}});</script>";
        }

        /** Publishes to {@code news} (a POST, so Spring Security wants its CSRF token). */
        @PostMapping("/news")
        public String news(@RequestParam String text) {
            halley.publish("news", text);
            return "sent";
        }
    }
}
