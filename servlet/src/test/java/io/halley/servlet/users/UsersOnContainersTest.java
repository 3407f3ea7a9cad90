package io.halley.servlet.users;

import static io.halley.servlet.users.UserWebApp.get;
import static io.halley.servlet.users.UserWebApp.logIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.halley.core.Halley;
import io.halley.servlet.Container;
import io.halley.servlet.users.UserWebApp.Login;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.HttpBrowser.PageRef;
import io.halley.testing.SseFeed;
import io.halley.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Users end to end on real Jetty and Tomcat, with the container's FORM authentication and with
 * an application's session attribute: the page's user, the channel policy that knows it, per-user
 * push, role-required callbacks and actions, logout and a change of user in one session.
 */
class UsersOnContainersTest {
    private TestServer server;
    private final List<HttpBrowser> browsers = new ArrayList<>();

    static Stream<Arguments> setups() {
        List<Arguments> out = new ArrayList<>();
        for (Container c : Container.tested()) for (Login l : Login.values()) out.add(Arguments.of(c, l));
        return out.stream();
    }

    @AfterEach
    void noLeaks() throws Exception {
        stopServer();
    }

    private void stopServer() throws Exception {
        for (HttpBrowser b : browsers) b.close();
        browsers.clear();
        if (server != null) server.close();
        server = null;
    }

    private Halley start(Container c, Login login) throws Exception {
        server = UserWebApp.start(c, login, null);
        UserWebApp.registerAdminOnly(server.halley());
        return server.halley();
    }

    private HttpBrowser browser(Login login, String name) throws Exception {
        HttpBrowser b = new HttpBrowser(server);
        browsers.add(b);
        if (name != null) logIn(b, server, login, name);
        return b;
    }

    /** POST /page, asserting the answer names {@code user} (null: anonymous, no "user"). */
    private PageRef open(HttpBrowser b, String user) throws Exception {
        HttpBrowser.Resp r = b.post("/page", "{}");
        assertEquals(200, r.status(), r::body);
        JsonObject o = r.json();
        if (user == null) assertNull(o.get("user"), "an anonymous page names no user");
        else assertEquals(user, o.get("user").getAsString());
        return new PageRef(o.get("page").getAsString(), o.get("token").getAsString(), server);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void bobsSubscribeToAlicesChannelIsRefusedAndNothingReachesHim(Container c, Login login) throws Exception {
        Halley halley = start(c, login);
        HttpBrowser alice = browser(login, "alice"), bob = browser(login, "bob");
        PageRef a = open(alice, "alice"), b = open(bob, "bob");
        assertEquals("alice", server.page(a.page()).user().name());
        assertTrue(server.page(a.page()).user().hasRole("admin"), "the roles asked about are captured");
        assertFalse(server.page(b.page()).user().hasRole("admin"));
        SseFeed af = alice.sse(a), bf = bob.sse(b);
        HttpBrowser.Resp refused = bob.pagePost(b, "/subscribe", "\"channel\":\"user.alice\"");
        refused.assertError(403);
        alice.postOk(a, "/subscribe", "\"channel\":\"user.alice\"", 200);
        bob.postOk(b, "/subscribe", "\"channel\":\"user.bob\"", 200);
        bob.pagePost(b, "/subscribe", "\"channel\":\"halley.users\"").assertError(403);
        bob.pagePost(b, "/publish", "\"channel\":\"announcements\",\"data\":1").assertError(403);
        alice.postOk(a, "/publish", "\"channel\":\"announcements\",\"data\":1", 202);
        halley.publish("user.alice", "for alice");
        halley.publish("user.bob", "for bob");
        Await.until("alice's message", () -> af.messages("user.alice").size() == 1);
        Await.until("bob's message", () -> bf.messages("user.bob").size() == 1);
        Await.pause(200);
        assertEquals(List.of(), bf.messages("user.alice"), "nothing of alice's reaches bob");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void aPushToAliceReachesEachOfHerTabsAndNoneOfBobs(Container c, Login login) throws Exception {
        Halley halley = start(c, login);
        HttpBrowser alice = browser(login, "alice"), bob = browser(login, "bob");
        SseFeed a1 = alice.sse(open(alice, "alice")), a2 = alice.sse(open(alice, "alice")), b1 = bob.sse(open(bob, "bob"));
        assertEquals(2, halley.user("alice").text("#inbox", "hi alice").flush());
        Await.until("both tabs", () -> a1.texts("#inbox").size() == 1 && a2.texts("#inbox").size() == 1);
        Await.pause(200);
        assertEquals(List.of("hi alice"), a1.texts("#inbox"));
        assertEquals(List.of(), b1.texts("#inbox"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void aCallbackAndAnActionThatRequireARoleRefuseAUserWithoutIt(Container c, Login login) throws Exception {
        start(c, login);
        HttpBrowser alice = browser(login, "alice"), bob = browser(login, "bob");
        PageRef a = open(alice, "alice"), b = open(bob, "bob");
        SseFeed af = alice.sse(a), bf = bob.sse(b);
        HttpBrowser.Resp call = bob.pagePost(b, "/call/admin.reset", "\"args\":[]");
        call.assertError(403);
        assertTrue(call.json().get("error").getAsString().contains("requires role 'admin'"), call.body());
        bob.pagePost(b, "/action/admin.stats", "\"params\":{}").assertError(403);
        alice.postOk(a, "/call/admin.reset", "\"args\":[],\"call\":\"c1\"", 202);
        alice.postOk(a, "/action/admin.stats", "\"params\":{},\"request\":\"r1\"", 202);
        Await.until("done and reply", () -> !af.commands(x -> SseFeed.op(x, "done")).isEmpty()
                && !af.commands(x -> SseFeed.op(x, "reply")).isEmpty());
        assertEquals("reset by alice", af.commands(x -> SseFeed.op(x, "done")).get(0).get("result").getAsString());
        assertEquals("stats for alice", af.commands(x -> SseFeed.op(x, "reply")).get(0).get("result").getAsString());
        assertEquals(List.of(), bf.commands(x -> SseFeed.op(x, "done") || SseFeed.op(x, "reply")), "nothing ran for bob");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void afterAliceLogsOutHerPagesEndWith410AndHerNextPageIsAnonymous(Container c, Login login) throws Exception {
        start(c, login);
        HttpBrowser alice = browser(login, "alice"), bob = browser(login, "bob");
        PageRef a1 = open(alice, "alice"), a2 = open(alice, "alice"), b = open(bob, "bob");
        SseFeed f1 = alice.sse(a1), bf = bob.sse(b);
        get(alice, server, "/logout");
        Await.until("alice's stream ends", f1::ended);
        alice.get("/page?page=" + a1.page()).assertError(410);
        alice.get("/page?page=" + a2.page()).assertError(410);
        open(alice, null);
        assertFalse(bf.ended(), "bob's page lives on");
        bob.get("/page?page=" + b.page());
        assertEquals(200, bob.get("/page?page=" + b.page()).status());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    void aPageOfTheSessionsPreviousUserIsRefusedWith410AndTheNextIsTheNewUsers(Container c, Login login) throws Exception {
        aPageOfThePreviousUserIsRefused(c, login, null);
    }

    /** The same refusal met first by each way back onto a stream: its own, the tabs' shared one, joining one. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("setups")
    @Timeout(60) // a stream request let through would be held: the test fails here rather than hang
    void aPageOfTheSessionsPreviousUserGets410OnEveryStreamRequest(Container c, Login login) throws Exception {
        for (String path : List.of("/sse?page=%s&since=0", "/shared?page=%s&since=0", "/join")) {
            aPageOfThePreviousUserIsRefused(c, login, path);
            stopServer();
        }
    }

    private void aPageOfThePreviousUserIsRefused(Container c, Login login, String first) throws Exception {
        start(c, login);
        HttpBrowser browser = browser(login, "alice");
        PageRef asAlice = open(browser, "alice");
        SseFeed feed = browser.sse(asAlice);
        get(browser, server, "/signout"); // the session lives on, its user is gone
        PageRef anonymous = open(browser, null);
        if (first != null) { // the first request of alice's page since the change: that endpoint's own check answers
            HttpBrowser.Resp s = first.equals("/join") ? browser.pagePost(asAlice, "/join", "\"since\":0")
                    : browser.get(String.format(first, asAlice.page()));
            s.assertError(410);
            assertEquals("page was opened as another user", s.json().get("error").getAsString(), first);
        }
        HttpBrowser.Resp r = browser.get("/page?page=" + asAlice.page());
        r.assertError(410);
        // the first refusal ended the page: from then on it is gone
        assertEquals(first == null ? "page was opened as another user" : "page is gone", r.json().get("error").getAsString());
        Await.until("the stream of alice's page ends", feed::ended);
        get(browser, server, "/signin?user=carol");
        browser.pagePost(anonymous, "/subscribe", "\"channel\":\"news\"").assertError(410);
        open(browser, "carol");
    }
}
