package io.halley.demo;

import io.halley.demo.channels.Announcer;
import io.halley.demo.channels.DemoActions;
import io.halley.demo.channels.Feed;
import io.halley.demo.channels.FeedWatch;
import io.halley.demo.chat.ChatJoin;
import io.halley.demo.chat.ChatPage;
import io.halley.demo.chat.ChatRoom;
import io.halley.demo.chat.ChatSay;
import io.halley.demo.clock.ClockPage;
import io.halley.demo.clock.ClockStart;
import io.halley.demo.jq.JqFeed;
import io.halley.demo.jq.JqNote;
import io.halley.demo.play.PlayStream;
import io.halley.demo.play.TickPublishers;
import io.halley.demo.progress.ProgressCallbacks;
import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpServlet;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo application's wiring, shared by the WAR and the embedded server: builds and starts
 * the {@link Halley} runtime, puts it in the {@link ServletContext} under
 * {@code io.halley.core.Halley} (listeners run before servlets initialise, so
 * {@code CometServlet} finds it there and does not build its own), starts the feed, registers
 * the demo servlets, and closes everything on {@link #contextDestroyed}.
 *
 * <p>In the WAR the container finds this class by its {@link WebListener} annotation and the
 * {@code CometServlet} comes from the servlet jar's web-fragment; {@link EmbeddedServer} adds
 * both explicitly. The demo servlets are registered here, in code, so that both ways serve the
 * same paths:
 *
 * <table>
 *   <caption>Paths</caption>
 *   <tr><td>{@code GET /clock}, {@code POST /demo/clock/start}</td><td>{@link ClockPage}, {@link ClockStart}</td></tr>
 *   <tr><td>{@code GET /chat}, {@code POST /demo/chat/join}, {@code /demo/chat/say}</td><td>{@link ChatPage},
 *       {@link ChatJoin}, {@link ChatSay}</td></tr>
 *   <tr><td>{@code POST /demo/feed/watch}</td><td>{@link FeedWatch} (transports.html)</td></tr>
 *   <tr><td>{@code GET /play/stream}</td><td>{@link PlayStream} (play.html)</td></tr>
 *   <tr><td>{@code POST /demo/jq/note}</td><td>{@link JqNote} (jquery-comet.html)</td></tr>
 *   <tr><td>{@code POST /demo/page/close}</td><td>{@link PageClose}: a tab that goes away ends its page</td></tr>
 * </table>
 *
 * <p>And in the runtime: the channel policy {@link #POLICY} (browsers publish on {@code room.*}
 * only), the streamed callbacks of {@link ProgressCallbacks} ({@code progress.html}), the actions
 * of {@link DemoActions} and the {@link Announcer} ({@code channels.html}), the feeds {@link Feed}
 * ({@code transports.html}) and {@link JqFeed} ({@code jquery-comet.html}).
 */
@WebListener
public class DemoApp implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(DemoApp.class);

    /**
     * What browsers may do with channels: publish on {@code room.*}; {@code user.<name>}, a user's
     * private channel, only as that user (subscribe and publish; the name is the chat's login);
     * subscribe to any other non-reserved one.
     */
    public static final ChannelPolicy POLICY = ChannelPolicy.defaults().allowPublish(c -> c.startsWith("room."))
            .subscribe("user.{name}", io.halley.core.user.ChannelRule.userIs("name"))
            .publish("user.{name}", io.halley.core.user.ChannelRule.userIs("name"));
    /** How often the {@link Announcer} speaks unless told otherwise. */
    public static final Duration ANNOUNCE_EVERY = Duration.ofSeconds(10);
    /** The pause between two steps of the progress demo, so that a person sees the bar move. */
    static final Duration PROGRESS_PAUSE = Duration.ofMillis(250);

    private final Consumer<Halley.Builder> settings;
    private final Duration announceEvery;
    private Halley halley;
    private Feed feed;
    private JqFeed jqFeed;
    private Announcer announcer;
    private TickPublishers ticks;

    /** The container's constructor: the runtime's defaults. */
    public DemoApp() {
        this(b -> { });
    }

    /**
     * With runtime settings applied in code (the embedded server's options, the Redis hub,
     * tests), after the demo's own ({@link #POLICY}), so they may replace them.
     */
    public DemoApp(Consumer<Halley.Builder> settings) {
        this(settings, ANNOUNCE_EVERY);
    }

    /** As {@link #DemoApp(Consumer)}, with an announcement every {@code announceEvery}. */
    public DemoApp(Consumer<Halley.Builder> settings, Duration announceEvery) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.announceEvery = Objects.requireNonNull(announceEvery, "announceEvery");
        if (announceEvery.toMillis() <= 0) throw new IllegalArgumentException("announceEvery must be positive");
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext ctx = event.getServletContext();
        Halley.Builder builder = Halley.builder().channelPolicy(POLICY);
        settings.accept(builder);
        halley = builder.build().start();
        ctx.setAttribute(Halley.class.getName(), halley);
        // the chat's name in the session is the pages' user (docs/users.md): per-user push, private messages
        ServletRegistration comet = ctx.getServletRegistration("halley");
        if (comet != null) comet.setInitParameter("userSessionAttribute", ChatPage.NAME);

        halley.registerObject(new ProgressCallbacks(PROGRESS_PAUSE));
        DemoActions.register(halley);
        announcer = Announcer.start(halley, announceEvery);
        feed = Feed.start(halley);
        jqFeed = JqFeed.start(halley);
        ticks = new TickPublishers();
        ChatRoom chat = new ChatRoom(halley);

        add(ctx, "demo-clock", new ClockPage(), "/clock");
        add(ctx, "demo-clock-start", new ClockStart(halley), "/demo/clock/start");
        add(ctx, "demo-chat", new ChatPage(chat), "/chat");
        add(ctx, "demo-chat-join", new ChatJoin(halley, chat), "/demo/chat/join");
        add(ctx, "demo-chat-say", new ChatSay(halley, chat), "/demo/chat/say");
        add(ctx, "demo-feed-watch", new FeedWatch(halley), "/demo/feed/watch");
        add(ctx, "demo-page-close", new PageClose(halley), "/demo/page/close");
        add(ctx, "demo-play-stream", new PlayStream(ticks), "/play/stream");
        add(ctx, "demo-jq-note", new JqNote(jqFeed), "/demo/jq/note");
        LOG.info("Halley demo ready at {}/ (node {})", ctx.getContextPath(), halley.config().nodeId());
    }

    private static void add(ServletContext ctx, String name, HttpServlet servlet, String path) {
        ServletRegistration.Dynamic reg = ctx.addServlet(name, servlet);
        reg.setAsyncSupported(true); // PlayStream holds its request; for the others it costs nothing
        reg.addMapping(path);
    }

    /** Play streams open now (for tests and monitoring). */
    int openPlayStreams() {
        return ticks == null ? 0 : ticks.openStreams();
    }

    /** Stops the feed and the Play streams, then closes the runtime (its functions end, pages die). */
    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (announcer != null) announcer.close();
        if (feed != null) feed.close();
        if (jqFeed != null) jqFeed.close();
        if (ticks != null) ticks.close();
        if (halley != null) {
            halley.close();
            ServletContext ctx = event.getServletContext();
            if (ctx.getAttribute(Halley.class.getName()) == halley) ctx.removeAttribute(Halley.class.getName());
        }
    }
}
