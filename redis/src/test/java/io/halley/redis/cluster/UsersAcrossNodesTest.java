package io.halley.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.core.user.ChannelRule;
import io.halley.core.User;
import io.halley.redis.RedisChannelHistory;
import io.halley.redis.RedisHub;
import io.halley.redis.RedisQueue;
import io.halley.redis.RedisSettings;
import io.halley.testing.Await;
import io.halley.testing.HttpBrowser;
import io.halley.testing.HttpBrowser.PageRef;
import io.halley.testing.SseFeed;
import io.halley.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-user push and logout across two web nodes on a real Redis: Alice has three tabs (two on
 * node A, one on node B), Bob one on each. Who a request's user is comes from the application's
 * session attribute ({@code userSessionAttribute}), set by each node's sign-in servlet.
 */
@Timeout(90)
class UsersAcrossNodesTest extends WebClusterSupport {
    private static final String USER_ATTRIBUTE = "app.user";

    private TestServer node(String name, RedisSettings s) throws Exception {
        Halley h = Halley.builder().nodeId(name).pageLease(Duration.ofSeconds(10))
                .channelPolicy(ChannelPolicy.defaults().subscribe("user.{name}", ChannelRule.userIs("name")))
                .hub(new RedisHub(s)).history(new RedisChannelHistory(s)).queue(new RedisQueue(s)).build().start();
        TestServer server = TestServer.jetty().runtime(h).sessionCookie(WebNode.cookieName(name))
                .settings(b -> b.userSessionAttribute(USER_ATTRIBUTE).heartbeat(HEARTBEAT).pollTimeout(Duration.ofSeconds(2)))
                .servlet("/signin", new SignIn()).servlet("/logout", new LogOut()).start();
        closeLater(() -> { // as WebNode: the kit's close() would check for threads of the other node too
            try {
                server.stop();
            } finally {
                h.close();
            }
        });
        return server;
    }

    private HttpBrowser signedIn(TestServer server, String user) throws Exception {
        HttpBrowser b = browser(server.origin());
        assertEquals(200, b.send("GET", URI.create(server.root() + "/signin?user=" + user), null).status());
        return b;
    }

    private static PageRef open(HttpBrowser b, TestServer on, String user) throws Exception {
        HttpBrowser.Resp r = b.send("POST", on.uri("/page"), "{}", "Origin", on.origin());
        assertEquals(200, r.status(), r::body);
        if (user == null) assertNull(r.json().get("user"));
        else assertEquals(user, r.json().get("user").getAsString());
        return new PageRef(r.json().get("page").getAsString(), r.json().get("token").getAsString(), on);
    }

    @Test
    void aMessageToAliceReachesAllThreeOfHerTabsOnTwoNodesOnceInOrderAndNoneOfBobs() throws Exception {
        RedisSettings s = redisSettings().build();
        TestServer a = node("a", s), b = node("b", s);
        HttpBrowser aliceA = signedIn(a, "alice"), aliceB = signedIn(b, "alice");
        HttpBrowser bobA = signedIn(a, "bob"), bobB = signedIn(b, "bob");
        List<SseFeed> alice = List.of(aliceA.sse(open(aliceA, a, "alice")), aliceA.sse(open(aliceA, a, "alice")),
                aliceB.sse(open(aliceB, b, "alice")));
        List<SseFeed> bob = List.of(bobA.sse(open(bobA, a, "bob")), bobB.sse(open(bobB, b, "bob")));

        List<String> sent = IntStream.rangeClosed(1, 30).mapToObj(i -> "m" + i).toList();
        for (String m : sent) assertEquals(2, a.halley().user("alice").append("#inbox", m).flush());
        for (SseFeed f : alice) Await.until("30 pushes on " + f.page(), () -> inbox(f).size() >= 30);
        b.halley().user("alice").append("#inbox", "from b").flush();
        for (SseFeed f : alice) Await.until("the push from b on " + f.page(), () -> inbox(f).size() >= 31);
        Await.pause(300);
        List<String> expected = new ArrayList<>(sent);
        expected.add("from b");
        for (SseFeed f : alice) assertEquals(expected, inbox(f), "once each, in order, on " + f.page());
        for (SseFeed f : bob) assertEquals(List.of(), inbox(f), "nothing for bob on " + f.page());
    }

    @Test
    void aMessageToAlicesPoolReachesTheFunctionsOfHerTabsOnBothNodes() throws Exception {
        RedisSettings s = redisSettings().build();
        TestServer a = node("a", s), b = node("b", s);
        HttpBrowser aliceA = signedIn(a, "alice"), aliceB = signedIn(b, "alice"), bobB = signedIn(b, "bob");
        List<PageRef> pages = List.of(open(aliceA, a, "alice"), open(aliceB, b, "alice"), open(bobB, b, "bob"));
        List<SseFeed> feeds = List.of(aliceA.sse(pages.get(0)), aliceB.sse(pages.get(1)), bobB.sse(pages.get(2)));
        for (PageRef p : pages) {
            p.server().page(p.page()).comet(c -> {
                while (c.isAlive()) {
                    Object m = c.receive(Duration.ofSeconds(5));
                    if (m instanceof String text) c.text("#fn", text).flush();
                }
            }, "inbox");
        }
        a.halley().user("alice").send("inbox", "hello functions");
        Await.until("both of alice's functions", () -> texts(feeds.get(0)).size() == 1 && texts(feeds.get(1)).size() == 1);
        Await.pause(300);
        assertEquals(List.of("hello functions"), texts(feeds.get(1)));
        assertEquals(List.of(), texts(feeds.get(2)), "bob's function got nothing");
    }

    @Test
    void aLogoutEndsAlicesPagesOnBothNodesAtOnceAndHerNextPageIsAnonymous() throws Exception {
        RedisSettings s = redisSettings().build();
        TestServer a = node("a", s), b = node("b", s);
        HttpBrowser aliceA = signedIn(a, "alice"), aliceB = signedIn(b, "alice"), bobB = signedIn(b, "bob");
        List<PageRef> alicePages = List.of(open(aliceA, a, "alice"), open(aliceA, a, "alice"), open(aliceB, b, "alice"));
        List<SseFeed> feeds = new ArrayList<>();
        for (PageRef p : alicePages) feeds.add((p.server() == a ? aliceA : aliceB).sse(p));
        PageRef bobs = open(bobB, b, "bob");
        SseFeed bobFeed = bobB.sse(bobs);
        // the application's logout on node A: its session ends and Halley is told the user is gone
        assertEquals(200, aliceA.send("GET", URI.create(a.root() + "/logout"), null).status());
        for (SseFeed f : feeds) Await.until("the stream of " + f.page() + " ends", Duration.ofSeconds(5), f::ended);
        // on node A her session ended (halley:sessionended first); on node B only the logout told her page
        assertEquals("halley:loggedout", feeds.get(2).commands(c -> SseFeed.op(c, "event")).get(0).get("name").getAsString());
        for (PageRef p : alicePages) {
            HttpBrowser who = p.server() == a ? aliceA : aliceB;
            who.send("GET", p.server().uri("/page?page=" + p.page()), null).assertError(410);
        }
        open(aliceA, a, null);
        assertFalse(bobFeed.ended(), "bob's page lives on");
        assertEquals(200, bobB.send("GET", b.uri("/page?page=" + bobs.page()), null).status());
    }

    private static List<String> inbox(SseFeed f) {
        List<String> out = new ArrayList<>();
        for (var c : f.commands(c -> SseFeed.op(c, "append"))) out.add(c.get("html").getAsString());
        return out;
    }

    private static List<String> texts(SseFeed f) {
        return f.texts("#fn");
    }

    /** The application's sign-in: {@code ?user=name} into the session (a test: no password). */
    static final class SignIn extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            req.getSession(true).setAttribute(USER_ATTRIBUTE, User.named(req.getParameter("user")));
            resp.getWriter().println("signed in");
        }
    }

    /** The application's logout: ends the session and tells Halley, which ends the user's pages on every node. */
    static final class LogOut extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            HttpSession s = req.getSession(false);
            if (s != null && s.getAttribute(USER_ATTRIBUTE) instanceof User u) {
                s.invalidate();
                io.halley.servlet.HalleyPages.halley(req.getServletContext()).userLoggedOut(u.name());
            }
            resp.getWriter().println("logged out");
        }
    }
}
