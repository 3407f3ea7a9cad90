package io.halley.servlet;

import io.halley.core.Halley;
import io.halley.core.Page;
import java.util.Map;
import io.halley.servlet.internal.SessionIds;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a session's pages when its HTTP session ends (invalidated or timed out): calls
 * {@link Halley#sessionEnded(String)} with the session's Halley session id, so that the pages'
 * comet functions stop and their dying messages go out at once rather than one lease later. Each
 * page is first sent the event {@value #SESSION_ENDED_EVENT} ({@code {"reason":"session ended"}}),
 * which {@code halley.js} also fires as its connection event {@code sessionended}, so that the
 * page can show its sign-in again instead of a dead form.
 *
 * <p>Registered by the jar's {@code META-INF/web-fragment.xml}; when the fragment is not used
 * (absolute ordering, {@code metadata-complete}, embedded containers) register it yourself: a
 * {@code <listener>} in web.xml, {@code @WebListener class MyListener extends
 * HalleySessionListener {}}, or {@code addEventListener(new HalleySessionListener())}.
 *
 * <p>Called by the container on its own thread; never blocks (closing pages only interrupts
 * functions); never throws.
 */
public class HalleySessionListener implements HttpSessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(HalleySessionListener.class);

    /** The DOM event (and {@code halley.js} connection event {@code sessionended}) a page gets as its session ends. */
    public static final String SESSION_ENDED_EVENT = "halley:sessionended";

    /** Tells the page, as the last frame before it closes, that its session ended. */
    private static void tell(Page p) {
        try {
            p.writer().event(SESSION_ENDED_EVENT, Map.of("reason", "session ended")).flush();
        } catch (RuntimeException gone) { // the page died meanwhile
            LOG.debug("could not tell {} that its session ended: {}", p, gone.toString());
        }
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
        try {
            Object id = se.getSession().getAttribute(SessionIds.ATTRIBUTE);
            Object h = se.getSession().getServletContext().getAttribute(Halley.class.getName());
            if (id instanceof String && h instanceof Halley) {
                Halley halley = (Halley) h;
                for (Page p : halley.pagesOf((String) id)) tell(p);
                halley.sessionEnded((String) id);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not end the pages of a destroyed session", e);
        }
    }
}
