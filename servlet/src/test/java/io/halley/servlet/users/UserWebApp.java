package io.halley.servlet.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.user.ChannelRule;
import io.halley.core.User;
import io.halley.servlet.CometServlet;
import io.halley.servlet.CometSettings;
import io.halley.servlet.Container;
import io.halley.testing.HttpBrowser;
import io.halley.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.catalina.authenticator.FormAuthenticator;
import org.apache.catalina.realm.MemoryRealm;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.apache.tomcat.util.descriptor.web.SecurityCollection;
import org.apache.tomcat.util.descriptor.web.SecurityConstraint;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.util.security.Credential;

/**
 * The test web application of the users tests, on Jetty or Tomcat, with one of two logins:
 * {@link Login#FORM}, the container's FORM authentication against its own user store (Jetty's
 * {@code ConstraintSecurityHandler} with a {@code HashLoginService}; Tomcat's
 * {@code FormAuthenticator} valve with a {@code MemoryRealm}) protecting {@code /secure/*}; or
 * {@link Login#SESSION_ATTRIBUTE}, the application's own sign-in that puts a {@link User} in the
 * session attribute {@value #USER_ATTRIBUTE}, read by {@code userSessionAttribute}.
 *
 * <p>Users: alice (roles user, admin), bob and carol (role user); the password is the name + "-pw".
 * The runtime's policy lets {@code user.{name}} be read only by that user; callback
 * {@code admin.reset} and action {@code admin.stats} require the role admin.
 */
public final class UserWebApp {
    public enum Login { FORM, SESSION_ATTRIBUTE }

    public static final String USER_ATTRIBUTE = "app.user";
    public static final Map<String, Set<String>> USERS = Map.of(
            "alice", Set.of("user", "admin"), "bob", Set.of("user"), "carol", Set.of("user"));

    private UserWebApp() {
    }

    /** Starts the web app on {@code container} with {@code login}; {@code runtime} (may be null) is served instead of a new one. */
    public static TestServer start(Container container, Login login, Halley runtime) throws Exception {
        Map<String, HttpServlet> extra = new LinkedHashMap<>();
        extra.put("/login.html", new LoginPage());
        extra.put("/login-error.html", new LoginPage());
        extra.put("/secure/home", new Home());
        extra.put("/home", new Home());
        extra.put("/signin", new SignIn(login));
        extra.put("/signout", new SignOut(login));
        extra.put("/logout", new LogOut());
        extra.put("/app-page", new AppPage());
        Map<String, String> params = TestServer.fastParams();
        CometServlet servlet = servlet(login);
        if (container == Container.TOMCAT) {
            if (runtime != null) throw new IllegalArgumentException("a provided runtime is for Jetty");
            return newTomcat(servlet, params, extra, login);
        }
        TestServer.Builder b = TestServer.jetty().contextPath(Container.CONTEXT).servlet(servlet).initParams(params);
        if (runtime != null) b.runtime(runtime);
        extra.forEach(b::servlet);
        if (login == Login.FORM) b.jettyContext(UserWebApp::jettyFormLogin);
        return b.start();
    }

    private static TestServer newTomcat(CometServlet servlet, Map<String, String> params, Map<String, HttpServlet> extra,
                                        Login login) throws Exception {
        Consumer<org.apache.catalina.core.StandardContext> auth = login == Login.FORM ? UserWebApp::tomcatFormLogin : c -> { };
        return io.halley.servlet.TomcatAccess.start(servlet, Container.CONTEXT, params, extra, auth);
    }

    /** The servlet: who the user is (per {@code login}), the policy, a role-required callback and action. */
    static CometServlet servlet(Login login) {
        return new CometServlet() {
            @Override
            protected void configure(CometSettings.Builder s) {
                if (login == Login.FORM) s.userRoles(List.of("user", "admin"));
                else s.userSessionAttribute(USER_ATTRIBUTE);
            }

            @Override
            protected void configure(Halley.Builder h) {
                h.channelPolicy(policy());
            }
        };
    }

    /** The policy of the tests: {@code user.{name}} for that user only, {@code announcements} published by admins. */
    public static ChannelPolicy policy() {
        return ChannelPolicy.defaults()
                .subscribe("user.{name}", ChannelRule.userIs("name"))
                .publish("announcements", ChannelRule.hasRole("admin"));
    }

    /** Registers the callback and action that require the role admin on {@code halley}. */
    public static void registerAdminOnly(Halley halley) {
        halley.register("admin.reset", "admin", (r, args) -> "reset by " + r.user().name());
        halley.action("admin.stats", "admin", (caller, params) -> "stats for " + caller.name());
    }

    private static void jettyFormLogin(ServletContextHandler context) {
        UserStore store = new UserStore();
        USERS.forEach((name, roles) -> store.addUser(name, Credential.getCredential(name + "-pw"), roles.toArray(String[]::new)));
        HashLoginService users = new HashLoginService("halley-test");
        users.setUserStore(store);
        ConstraintSecurityHandler security = new ConstraintSecurityHandler();
        security.setLoginService(users);
        security.setAuthenticator(new org.eclipse.jetty.security.authentication.FormAuthenticator(
                "/login.html", "/login-error.html", false));
        ConstraintMapping secure = new ConstraintMapping();
        secure.setPathSpec("/secure/*");
        secure.setConstraint(Constraint.from("user"));
        security.addConstraintMapping(secure);
        context.setSecurityHandler(security);
    }

    private static void tomcatFormLogin(org.apache.catalina.core.StandardContext ctx) {
        try {
            Path file = Files.createTempFile("halley-users", ".xml");
            StringBuilder xml = new StringBuilder("<tomcat-users>");
            USERS.forEach((name, roles) -> xml.append("<user username=\"").append(name).append("\" password=\"")
                    .append(name).append("-pw\" roles=\"").append(String.join(",", roles)).append("\"/>"));
            Files.writeString(file, xml.append("</tomcat-users>").toString());
            file.toFile().deleteOnExit();
            MemoryRealm realm = new MemoryRealm();
            realm.setPathname(file.toString());
            ctx.setRealm(realm);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ctx.setLoginConfig(new LoginConfig("FORM", "halley-test", "/login.html", "/login-error.html"));
        for (String role : List.of("user", "admin")) ctx.addSecurityRole(role);
        SecurityConstraint c = new SecurityConstraint();
        c.addAuthRole("user");
        SecurityCollection paths = new SecurityCollection();
        paths.addPattern("/secure/*");
        c.addCollection(paths);
        ctx.addConstraint(c);
        ctx.getPipeline().addValve(new FormAuthenticator());
    }

    /**
     * Logs {@code browser} in as {@code name} the way {@code login} does: FORM: {@code GET
     * /secure/home} (the container answers with its login page), {@code POST /j_security_check},
     * then the protected page again; SESSION_ATTRIBUTE: {@code GET /signin?user=name}. Asserts that
     * {@code /home} then greets {@code name}.
     */
    public static void logIn(HttpBrowser browser, TestServer server, Login login, String name) throws Exception {
        if (login == Login.FORM) {
            browser.send("GET", at(server, "/secure/home"), null);
            HttpRequest form = HttpRequest.newBuilder(at(server, "/j_security_check")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Origin", server.origin())
                    .POST(HttpRequest.BodyPublishers.ofString("j_username=" + name + "&j_password=" + name + "-pw")).build();
            HttpBrowser.Resp r = browser.send(form);
            assertTrue(r.status() == 302 || r.status() == 303, () -> "j_security_check answered " + r.status() + " " + r.body());
            HttpBrowser.Resp home = browser.send("GET", at(server, "/secure/home"), null);
            assertEquals(200, home.status(), home::body);
        } else {
            assertEquals(200, browser.send("GET", at(server, "/signin?user=" + name), null).status());
        }
        assertEquals("hello " + name, browser.send("GET", at(server, "/home"), null).body().trim());
    }

    /** {@code path} of the web application (outside the Halley mount). */
    public static URI at(TestServer server, String path) {
        return URI.create(server.root() + path);
    }

    /** GET {@code path} of the web application with {@code browser}'s cookies; asserts 200. */
    public static void get(HttpBrowser browser, TestServer server, String path) throws Exception {
        HttpBrowser.Resp r = browser.send("GET", at(server, path), null);
        assertEquals(200, r.status(), () -> path + ": " + r.body());
    }

    /** The container's login page (and its error page). */
    static final class LoginPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/html;charset=UTF-8");
            resp.getWriter().println("<form method=post action=j_security_check><input name=j_username>"
                    + "<input name=j_password type=password><button>Sign in</button></form>");
        }
    }

    /** Greets the request's user as the container or the session says (no Halley involved). */
    static final class Home extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String name = req.getUserPrincipal() != null ? req.getUserPrincipal().getName() : null;
            HttpSession s = req.getSession(false);
            if (name == null && s != null && s.getAttribute(USER_ATTRIBUTE) instanceof User u) name = u.name();
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().println("hello " + (name == null ? "nobody" : name));
        }
    }

    /** The application's own sign-in: {@code ?user=name} (no password: a test) into the session; FORM: {@code request.login}. */
    static final class SignIn extends HttpServlet {
        private final Login login;

        SignIn(Login login) {
            this.login = login;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String name = req.getParameter("user");
            if (!USERS.containsKey(name)) {
                resp.sendError(400);
                return;
            }
            HttpSession s = req.getSession(true);
            if (login == Login.FORM) {
                try {
                    req.login(name, name + "-pw");
                } catch (jakarta.servlet.ServletException e) {
                    resp.sendError(401);
                    return;
                }
            } else {
                s.setAttribute(USER_ATTRIBUTE, User.named(name, USERS.get(name)));
            }
            if (req.getParameter("notify") != null) io.halley.servlet.HalleyPages.userChanged(req);
            resp.getWriter().println("signed in");
        }
    }

    /** Signs out without ending the session: {@code request.logout()} or the attribute removed. */
    static final class SignOut extends HttpServlet {
        private final Login login;

        SignOut(Login login) {
            this.login = login;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (login == Login.FORM) {
                try {
                    req.logout();
                } catch (jakarta.servlet.ServletException e) {
                    throw new HalleyException(HalleyException.Kind.BAD_INPUT, e.getMessage());
                }
            } else {
                HttpSession s = req.getSession(false);
                if (s != null) s.removeAttribute(USER_ATTRIBUTE);
            }
            if (req.getParameter("notify") != null) io.halley.servlet.HalleyPages.userChanged(req);
            resp.getWriter().println("signed out");
        }
    }

    /**
     * A page of the application in the browser: connects on SSE, shows its user ({@code #who}),
     * subscribes to that user's channel ({@code #inbox}) and records each page it had
     * ({@code window.pages}, "page:user").
     */
    static final class AppPage extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/html;charset=UTF-8");
            resp.getWriter().println("<!doctype html><html><body><p id=who></p><p id=inbox></p><p id=note></p>"
                    + "<script src=\"" + Container.CONTEXT + "/halley/halley.js\"></script><script>"
                    + "window.pages = []; window.conn = Halley.connect({ transports: ['sse'] });"
                    + "function shown() {"
                    + "  if (window.pages.length && window.pages[window.pages.length - 1].indexOf(conn.page + ':') === 0) return;"
                    + "  window.pages.push(conn.page + ':' + conn.user);"
                    + "  document.getElementById('who').textContent = conn.user || 'anonymous';"
                    + "  document.getElementById('inbox').textContent = '';"
                    + "  if (conn.user) conn.subscribe('user.' + conn.user, function (d) {"
                    + "    document.getElementById('inbox').textContent = d; });"
                    + "}"
                    + "conn.on('open', shown); conn.on('reconnect', shown);"
                    + "</script></body></html>");
        }
    }

    /** Logs out by ending the session. */
    static final class LogOut extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession s = req.getSession(false);
            if (s != null) s.invalidate();
            resp.getWriter().println("logged out");
        }
    }
}
