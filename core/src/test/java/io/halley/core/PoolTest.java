package io.halley.core;

import static io.halley.core.TestSupport.await;
import static org.junit.jupiter.api.Assertions.*;

import io.halley.core.comet.CometFunction;
import io.halley.core.comet.CometHandle;
import io.halley.core.comet.CometOptions;
import io.halley.core.comet.PoolMessage;
import io.halley.core.comet.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PoolTest {
    private Halley halley;

    @BeforeEach
    void start() {
        halley = TestSupport.quick().build().start();
    }

    @AfterEach
    void close() {
        halley.close();
    }

    /** A function that forwards everything it receives to {@code inbox} until its page dies. */
    private static CometFunction recorder(BlockingQueue<Object> inbox) {
        return c -> {
            while (true) inbox.add(c.receive());
        };
    }

    private static Object next(BlockingQueue<Object> q) throws InterruptedException {
        Object m = q.poll(5, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 5 s");
        return m;
    }

    @Test
    void firstMemberReceivesInit() throws Exception {
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        halley.open("s1").comet(recorder(a), "room");
        assertInstanceOf(PoolMessage.Init.class, next(a));
    }

    @Test
    void poolMembersReceiveJoinWhenAnotherMemberJoins() throws Exception {
        Page p = halley.open("s1");
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        BlockingQueue<Object> b = new LinkedBlockingQueue<>();
        p.comet(recorder(a), "room");
        CometHandle hb = p.comet(recorder(b), "room");
        next(a); // Init
        PoolMessage.Join join = assertInstanceOf(PoolMessage.Join.class, next(a));
        assertEquals(hb.member(), join.member());
        assertNull(b.poll(100, TimeUnit.MILLISECONDS), "the joiner gets neither Init nor its own Join");
    }

    @Test
    void messagesReachEveryMemberIncludingTheSender() throws Exception {
        Page p = halley.open("s1");
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        BlockingQueue<Object> b = new LinkedBlockingQueue<>();
        p.comet(c -> {
            c.receive(); // Init
            c.receive(); // Join of b
            c.send("hello");
            a.add(c.receive());
        }, "room");
        p.comet(recorder(b), "room");
        assertEquals("hello", next(a));
        assertEquals("hello", next(b));
    }

    @Test
    void leaveReachesTheOthersWhenAMemberExits() throws Exception {
        Page p = halley.open("s1");
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        p.comet(recorder(a), "room");
        CometHandle quitter = p.comet(c -> { }, "room");
        next(a); // Init
        next(a); // Join
        PoolMessage.Leave leave = assertInstanceOf(PoolMessage.Leave.class, next(a));
        assertEquals(quitter.member(), leave.member());
    }

    @Test
    void dyingMessageReachesPoolWhenFunctionThrows() throws Exception {
        Page p = halley.open("s1");
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        p.cometGlobal(recorder(a), "chat");
        halley.open("s2").comet(c -> {
            throw new IllegalStateException("expected test failure");
        }, CometOptions.builder().pool("chat").scope(Scope.GLOBAL).dyingMessage("bob left").build());
        next(a); // Init
        assertInstanceOf(PoolMessage.Join.class, next(a));
        assertEquals("bob left", next(a));
        assertInstanceOf(PoolMessage.Leave.class, next(a));
    }

    @Test
    void dyingMessageReachesPoolWhenThePageDies() throws Exception {
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        halley.open("s1").cometGlobal(recorder(a), "chat");
        Page doomed = halley.open("s2");
        doomed.comet(c -> c.sleep(Duration.ofMinutes(1)),
                CometOptions.builder().pool("chat").scope(Scope.GLOBAL).dyingMessage("gone").build());
        next(a);
        next(a);
        doomed.close();
        assertEquals("gone", next(a));
        assertInstanceOf(PoolMessage.Leave.class, next(a));
    }

    @Test
    void emptyPoolsAreFreed() {
        Page p = halley.open("s1");
        CometHandle h = p.cometGlobal(c -> { c.receive(); c.receive(); }, "temp");
        assertEquals(1, halley.poolMembers(Scope.GLOBAL, null, "temp"));
        h.cancel();
        await("pool emptied", () -> halley.poolMembers(Scope.GLOBAL, null, "temp") == 0);
        await("registry freed", () -> halley.pools().poolCount() == 0);
    }

    @Test
    void pagePoolsAreSeparatePerPageAndLocalPoolsSpanTheSession() throws Exception {
        Page s1a = halley.open("s1");
        Page s1b = halley.open("s1");
        Page s2 = halley.open("s2");
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        BlockingQueue<Object> b = new LinkedBlockingQueue<>();
        BlockingQueue<Object> c = new LinkedBlockingQueue<>();
        // PAGE scope: each page's "p" pool is its own, so both get Init
        s1a.comet(recorder(a), "p");
        s1b.comet(recorder(b), "p");
        assertInstanceOf(PoolMessage.Init.class, next(a));
        assertInstanceOf(PoolMessage.Init.class, next(b));
        // LOCAL scope: both pages of s1 share, s2 does not
        CometOptions local = CometOptions.builder().pool("l").scope(Scope.LOCAL).build();
        BlockingQueue<Object> la = new LinkedBlockingQueue<>();
        BlockingQueue<Object> lb = new LinkedBlockingQueue<>();
        s1a.comet(recorder(la), local);
        s1b.comet(recorder(lb), local);
        s2.comet(recorder(c), local);
        assertInstanceOf(PoolMessage.Init.class, next(la));
        assertInstanceOf(PoolMessage.Join.class, next(la));
        assertInstanceOf(PoolMessage.Init.class, next(c), "other session has its own LOCAL pool");
        halley.sendLocal("s1", "l", "to s1");
        assertEquals("to s1", next(la));
        assertEquals("to s1", next(lb));
        assertNull(c.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void optionsWithoutPoolGiveAPrivatePool() throws Exception {
        Page p = halley.open("s1");
        BlockingQueue<Object> a = new LinkedBlockingQueue<>();
        BlockingQueue<Object> b = new LinkedBlockingQueue<>();
        p.comet(recorder(a), CometOptions.builder().build());
        p.comet(recorder(b), CometOptions.builder().build());
        assertInstanceOf(PoolMessage.Init.class, next(a));
        assertInstanceOf(PoolMessage.Init.class, next(b));
        assertNull(a.poll(100, TimeUnit.MILLISECONDS), "no Join: each is alone");
    }

    @Test
    void sendFromOutsideAnyFunctionReachesGlobalAndPagePools() throws Exception {
        Page p = halley.open("s1");
        BlockingQueue<Object> g = new LinkedBlockingQueue<>();
        BlockingQueue<Object> d = new LinkedBlockingQueue<>();
        p.cometGlobal(recorder(g), "news");
        p.comet(recorder(d));
        next(g);
        next(d);
        halley.sendGlobal("news", List.of("headline"));
        p.send("default", 42);
        assertEquals(List.of("headline"), next(g));
        assertEquals(42, next(d));
    }

    @Test
    void sendToAPoolWithNoMembersIsDropped() {
        assertDoesNotThrow(() -> halley.sendGlobal("nobody-here", "x"));
        assertEquals(0, halley.poolMembers(Scope.GLOBAL, null, "nobody-here"));
    }

    @Test
    void badPoolNamesFailFast() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CometOptions.builder().pool("bad name!"));
        assertTrue(e.getMessage().contains("bad name!"));
    }
}
