package io.halley.core;

import static io.halley.core.TestSupport.await;
import static io.halley.core.TestSupport.commands;
import static io.halley.core.TestSupport.quick;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import io.halley.core.spi.HubCodec;
import io.halley.core.spi.HubMessage;
import io.halley.core.spi.InMemoryHub;
import io.halley.core.transport.PageStreams;
import io.halley.core.user.ChannelRule;
import io.halley.core.user.PageAttribute;
import io.halley.core.User;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Users in core: a page's user and attributes, per-user push and logout across two nodes, the policy, roles. */
class UserTest {
    private static final User ALICE = User.named("alice", Set.of("admin"));
    private static final User BOB = User.named("bob");

    @Test
    void aPageCarriesItsUserAndTypedAttributes() {
        try (Halley h = quick().build().start()) {
            Page anon = h.open("s0");
            assertTrue(anon.user().isAnonymous());
            assertEquals(null, anon.user().name());
            Page a = h.open("s1", ALICE);
            assertEquals("alice", a.user().name());
            assertTrue(a.user().hasRole("admin"));
            assertFalse(a.user().hasRole("root"));
            assertTrue(a.user().sameIdentity(User.named("alice")), "roles do not take part in identity");
            PageAttribute<Integer> count = PageAttribute.of("count", Integer.class);
            assertTrue(a.get(count).isEmpty());
            a.set(count, 3);
            assertEquals(3, a.get(count).orElseThrow());
            a.set(count, null);
            assertTrue(a.get(count).isEmpty());
            assertEquals(List.of(a), h.pagesOfUser("alice"));
            a.close();
            assertEquals(List.of(), h.pagesOfUser("alice"));
        }
    }

    @Test
    void userNamesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> User.named(" "));
        assertThrows(IllegalArgumentException.class, () -> User.named("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> User.named("x".repeat(User.MAX_NAME_LENGTH + 1)));
    }

    @Test
    void aPushToAliceReachesEachOfHerPagesOnBothNodesOnceAndNoneOfBobs() {
        InMemoryHub hub = new InMemoryHub();
        try (Halley n1 = quick().hub(hub).nodeId("n1").build().start();
             Halley n2 = quick().hub(hub).nodeId("n2").build().start()) {
            Page a1 = n1.open("sa", ALICE), a2 = n1.open("sa2", ALICE), a3 = n2.open("sa3", ALICE);
            Page b1 = n1.open("sb", BOB), b2 = n2.open("sb2", BOB);
            assertEquals(2, n1.user("alice").text("#m", "one").flush(), "the pages on this node are counted");
            n2.user("alice").text("#m", "two").flush();
            for (Page p : List.of(a1, a2, a3)) {
                List<String> texts = commands(p).stream().map(c -> c.get("text").getAsString()).toList();
                assertEquals(List.of("one", "two"), texts, "once each, in order, on " + p);
            }
            assertEquals(0, PageStreams.frames(b1).lastSeq());
            assertEquals(0, PageStreams.frames(b2).lastSeq());
        }
    }

    @Test
    void aMessageToAUserReachesTheFunctionsOfHerPagesOnEveryNode() throws Exception {
        InMemoryHub hub = new InMemoryHub();
        try (Halley n1 = quick().hub(hub).nodeId("n1").build().start();
             Halley n2 = quick().hub(hub).nodeId("n2").build().start()) {
            List<Object> got = new CopyOnWriteArrayList<>();
            for (Page p : List.of(n1.open("s1", ALICE), n2.open("s2", ALICE), n2.open("s3", BOB))) {
                p.comet(c -> {
                    while (c.isAlive()) {
                        Object m = c.receive(Duration.ofSeconds(5));
                        if (m instanceof String s) got.add(p.user().name() + ":" + s);
                    }
                }, "inbox");
            }
            await("members", () -> n1.poolMembers(io.halley.core.comet.Scope.PAGE, n1.pagesOfUser("alice").get(0).id(), "inbox") == 1);
            n1.user("alice").send("inbox", "hi");
            await("both of alice's functions", () -> got.size() >= 2);
            Thread.sleep(100);
            assertEquals(List.of("alice:hi", "alice:hi"), List.copyOf(got));
        }
    }

    @Test
    void aLogoutEndsTheUsersPagesOnEveryNodeAndTellsThemFirst() {
        InMemoryHub hub = new InMemoryHub();
        try (Halley n1 = quick().hub(hub).nodeId("n1").build().start();
             Halley n2 = quick().hub(hub).nodeId("n2").build().start()) {
            Page a1 = n1.open("s1", ALICE), a2 = n2.open("s2", ALICE), b = n2.open("s3", BOB);
            n2.userLoggedOut("alice");
            assertFalse(a1.isAlive());
            assertFalse(a2.isAlive());
            assertTrue(b.isAlive());
            assertEquals("halley:loggedout", commands(a1).get(0).get("name").getAsString());
            assertThrows(HalleyException.class, () -> n1.page(a1.id(), "s1"));
        }
    }

    @Test
    void userMessagesSurviveTheHubCodec() {
        for (HubMessage m : List.of(new HubMessage.UserCommands("alice", "[{\"op\":\"alert\",\"text\":\"x\"}]", "n1"),
                new HubMessage.UserLoggedOut("bob", "n2"))) {
            assertEquals(m, HubCodec.decode(HubCodec.encode(m)));
        }
        HubMessage.UserPoolSent p = (HubMessage.UserPoolSent) HubCodec.decode(HubCodec.encode(
                new HubMessage.UserPoolSent("alice", "inbox", "n1", "hi")));
        assertEquals("hi", p.message());
        assertEquals("inbox", p.pool());
    }

    @Test
    void reservedNamesStayRefusedWhateverRuleTheApplicationWrites() {
        try (Halley h = quick().build().start()) {
            Page page = h.open("s", ALICE);
            ChannelPolicy everything = ChannelPolicy.defaults().subscribe((p, c) -> true).publish((p, c) -> true)
                    .subscribe("{any}", ChannelRule.anyone()).publish("{any}", ChannelRule.anyone());
            for (String reserved : List.of("halley.internal", "_secret", "halley.users")) {
                assertFalse(everything.maySubscribe(page, reserved), reserved);
                assertFalse(everything.mayPublish(page, reserved), reserved);
                assertFalse(everything.maySubscribe(null, reserved), reserved);
            }
            assertTrue(everything.maySubscribe(page, "news"));
        }
    }

    @Test
    void placeholderRulesSeeTheUserAndRoles() {
        try (Halley h = quick().build().start()) {
            Page alice = h.open("s1", ALICE), bob = h.open("s2", BOB), anon = h.open("s3");
            ChannelPolicy policy = ChannelPolicy.defaults()
                    .subscribe("user.{name}", ChannelRule.userIs("name"))
                    .publish("announcements", ChannelRule.hasRole("admin"))
                    .publish("room.{room}.{who}", (p, m) -> m.get("who").equals(p.user().name()));
            assertTrue(policy.maySubscribe(alice, "user.alice"));
            assertFalse(policy.maySubscribe(bob, "user.alice"));
            assertFalse(policy.maySubscribe(anon, "user.alice"));
            assertFalse(policy.maySubscribe(null, "user.alice"), "a reader without a page has no user");
            assertTrue(policy.maySubscribe(bob, "news"), "the base rule decides where no pattern matches");
            assertFalse(policy.maySubscribe(bob, "user.alice.x"), "a final placeholder takes the rest: the rule decides");
            Page dotted = h.open("s4", User.named("alice.smith"));
            assertTrue(policy.maySubscribe(dotted, "user.alice.smith"));
            assertFalse(policy.maySubscribe(alice, "user.alice.smith"));
            assertFalse(policy.mayPublish(bob, "room.lobby.bob.x"), "the final placeholder takes bob.x, not bob");
            assertTrue(policy.mayPublish(alice, "announcements"));
            assertFalse(policy.mayPublish(bob, "announcements"));
            assertTrue(policy.mayPublish(bob, "room.lobby.bob"));
            assertFalse(policy.mayPublish(bob, "room.lobby.alice"));
            assertFalse(policy.mayPublish(bob, "news"));
            assertThrows(IllegalArgumentException.class, () -> ChannelPolicy.defaults().subscribe("user.{}", ChannelRule.anyone()));
            assertThrows(IllegalArgumentException.class, () -> ChannelPolicy.defaults().subscribe("a.{x}.{x}", ChannelRule.anyone()));
        }
    }

    @Test
    void aCallbackThatRequiresARoleRefusesAUserWithoutItBeforeItRuns() {
        try (Halley h = quick().build().start()) {
            List<String> ran = new CopyOnWriteArrayList<>();
            h.register("admin.reset", "admin", (r, args) -> {
                ran.add(r.user().name());
                return "done";
            });
            HalleyException e = assertThrows(HalleyException.class,
                    () -> h.call(h.open("s2", BOB), "admin.reset", new JsonArray(), null));
            assertEquals(HalleyException.Kind.FORBIDDEN, e.kind());
            h.call(h.open("s1", ALICE), "admin.reset", new JsonArray(), null);
            await("alice's call", () -> ran.size() == 1);
            assertEquals(List.of("alice"), ran);
        }
    }

    @Test
    void anActionThatRequiresARoleRefusesAUserWithoutItAndSeesItsCaller() {
        try (Halley h = quick().build().start()) {
            h.action("admin.stats", "admin", (caller, params) -> "for " + caller.name());
            Page bob = h.open("s2", BOB), alice = h.open("s1", ALICE);
            HalleyException e = assertThrows(HalleyException.class,
                    () -> h.request(bob, "r1", "admin.stats", JsonParser.parseString("{}")));
            assertEquals(HalleyException.Kind.FORBIDDEN, e.kind());
            h.request(alice, "r2", "admin.stats", JsonParser.parseString("{}"));
            await("reply", () -> PageStreams.frames(alice).lastSeq() == 1);
            assertEquals("for alice", commands(alice).get(0).get("result").getAsString());
        }
    }
}
