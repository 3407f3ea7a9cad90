package io.halley.servlet;

import io.halley.core.Halley;
import io.halley.servlet.internal.SessionIds;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a session's pages when its HTTP session ends (invalidated or timed out): calls
 * {@link Halley#sessionEnded(String)} with the session's Halley session id, so that the pages'
 * comet functions stop and their dying messages go out at once rather than one lease later.
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

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
        try {
            Object id = se.getSession().getAttribute(SessionIds.ATTRIBUTE);
            Object h = se.getSession().getServletContext().getAttribute(Halley.class.getName());
            if (id instanceof String && h instanceof Halley) ((Halley) h).sessionEnded((String) id);
        } catch (RuntimeException e) {
            LOG.debug("could not end the pages of a destroyed session", e);
        }
    }
}
