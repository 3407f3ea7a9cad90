package io.halley.servlet.internal.push;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.halley.core.ChannelMessage;
import io.halley.core.ChannelPolicy;
import io.halley.core.Halley;
import io.halley.core.HalleyException;
import io.halley.core.Names;
import io.halley.servlet.CometSettings;
import io.halley.servlet.internal.Http;
import io.halley.servlet.internal.SessionIds;
import io.halley.servlet.internal.stream.Connections;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The nginx HTTP push endpoints that the unmodified jQuery.comet plugin speaks.
 *
 * <p><b>{@code GET /push/sub?channel=C[&client=K]}</b> (subscriber, long-poll). Without
 * conditional headers: the oldest buffered message of C. With {@code If-None-Match}
 * {@code "<id>"}: the message after that id; with only {@code If-Modified-Since}: the first one
 * seen after that second. Each 200 carries the message's body and content type, {@code Etag}
 * {@code "<id>"} and {@code Last-Modified} (the second it was seen), so echoing them asks for the
 * next one (jQuery's {@code ifModified: true} does exactly that). An {@code Etag} above every id
 * of the channel means the server's history restarted: the client gets the oldest message again.
 * When nothing is newer the request is held (no thread) until a message arrives or
 * {@code pushTimeout} passes; a timeout is answered <b>200 with an empty {@code text/plain} body
 * and the validators the client sent</b>, never 304 (jQuery reports a 304 as a success with no
 * data, and jQuery.comet's handler then throws and its loop stops; an empty 200 makes it trigger
 * an event of type {@code null} that nobody binds and poll again at once, from the same place).
 * 410 for a channel deleted within {@code goneMemory}; 409 for the older of two held requests of
 * the same HTTP session, channel and optional {@code client} key (nginx's
 * {@code push_subscriber_concurrency last}: the newer one is held); 403 when
 * {@code maySubscribe(null, C)} refuses; 400 for a bad name; 503 past {@code maxHeldConnections}.
 *
 * <p><b>{@code /push/pub?channel=C}</b> (publisher, see {@link PushAccess}; 403 unless allowed).
 * {@code POST} with any body up to {@code maxBodyBytes} (413): publishes it on Halley channel C
 * (see {@link PushMessage#data}) and answers 202 {@code {"channel","id"}}; push subscribers get
 * the body with its content type. {@code GET}: 200 {@code {"channel","messages","lastId",
 * "subscribers"}}, 404 for a channel with no message, 410 for a deleted one. {@code DELETE}:
 * 200 {@code {"channel","deleted":true}}; see {@link PushChannels}. Reserved channels
 * ({@code halley.*}, {@code _*}) are refused (403). Called on the request's thread.
 */
public final class PushEndpoint {
    private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Halley halley;
    private final CometSettings settings;
    private final Connections registry;
    private final PushChannels channels;
    private final PushAccess access;

    private final java.util.concurrent.Executor writers;

    public PushEndpoint(Halley halley, CometSettings settings, Connections registry,
                 PushChannels channels, java.util.concurrent.Executor writers) {
        this.writers = writers;
        this.halley = halley;
        this.settings = settings;
        this.registry = registry;
        this.channels = channels;
        this.access = new PushAccess(settings.pushPublisher());
    }

    /** {@code GET /push/sub}. */
    public void subscribe(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = Names.requireChannel(Http.required(req, "channel"));
        String client = Http.parameter(req, "client");
        if (client != null && !CLIENT.matcher(client).matches()) throw Http.badInput("'client' must be 1-64 of A-Z a-z 0-9 _ . -");
        if (!halley.channelPolicy().maySubscribe(null, name)) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "not allowed to subscribe to channel '" + name + "'");
        }
        PushChannel channel = channels.forSubscriber(name);
        long after = PushMessage.idOf(req.getHeader("If-None-Match"));
        long since = PushMessage.parseHttpDate(req.getHeader("If-Modified-Since"));
        boolean exact = after >= 0;
        if (!exact) after = since >= 0 ? channel.idAtOrBefore(since) : channel.floor;
        if (after > channel.seenId()) { // the client is ahead: the history restarted
            after = channel.floor;
            exact = false;
        }
        PushMessage m = channel.next(after, exact);
        if (m != null) {
            PushReply.message(m).send(resp);
            return;
        }
        long t = channel.timeOf(after);
        String lastModified = t >= 0 ? PushMessage.httpDate(t)
                : since >= 0 ? PushMessage.httpDate(since) : PushMessage.httpDate(0);
        hold(req, resp, channel, after, client, lastModified);
    }

    private void hold(HttpServletRequest req, HttpServletResponse resp, PushChannel channel, long after, String client,
                      String lastModified) throws IOException {
        if (!req.isAsyncSupported()) throw new IllegalStateException("CometServlet must be registered with asyncSupported=true");
        if (!registry.reserve()) {
            registry.probeAtLimit(); // reset connections among the held ones fail and free their slots
            resp.setHeader("Retry-After", "5");
            Http.error(resp, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "too many held connections (maxHeldConnections " + settings.maxHeldConnections() + ")");
            return;
        }
        String owner = SessionIds.find(req); // the browser: its session's or its cookie's Halley id
        String key = owner == null ? null : owner + "|" + (client == null ? "" : client);
        AsyncContext async;
        try {
            async = req.startAsync(req, resp);
        } catch (RuntimeException e) {
            registry.unreserve();
            throw e;
        }
        async.setTimeout(0); // the push timeout is ours
        PushWaiter w;
        try {
            w = new PushWaiter(channel, after, key, lastModified, async, resp, registry, writers);
        } catch (IOException | RuntimeException e) { // no output stream: nothing held
            registry.unreserve();
            async.complete();
            throw e;
        }
        registry.add(w);
        async.addListener(w.endsWithResponse());
        switch (channel.hold(w)) {
            case HELD:
                w.startTimer(settings.pushTimeout());
                break;
            case READY:
                w.wake();
                break;
            default:
                w.gone();
        }
        w.listen(); // the answer, once there is one, is written after the container's first onWritePossible
    }

    /** {@code POST /push/pub}. */
    public void publish(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = publisherChannel(req);
        byte[] body = Http.body(req, settings.maxBodyBytes());
        String type = req.getHeader("Content-Type"); // as sent (getContentType may throw on an unknown charset)
        if (type == null || type.isBlank()) type = PushMessage.TEXT;
        JsonElement data = PushMessage.data(type, body);
        long id = channels.forPublisher(name).publish(data, type, body);
        JsonObject o = new JsonObject();
        o.addProperty("channel", name);
        if (id >= 0) o.addProperty("id", id); // unknown until a distributed hub delivers it
        Http.json(resp, HttpServletResponse.SC_ACCEPTED, o);
    }

    /** {@code GET /push/pub}. */
    public void info(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = publisherChannel(req);
        if (channels.isGone(name)) throw new HalleyException(HalleyException.Kind.GONE, "channel '" + name + "' was deleted");
        PushChannel c = channels.existing(name);
        JsonObject o = new JsonObject();
        o.addProperty("channel", name);
        if (c != null) {
            o.addProperty("messages", c.buffered());
            o.addProperty("lastId", c.seenId());
            o.addProperty("subscribers", c.waiting());
        } else {
            List<ChannelMessage> h = halley.history(name, 0);
            if (h.isEmpty()) throw new HalleyException(HalleyException.Kind.NOT_FOUND, "no channel '" + name + "'");
            o.addProperty("messages", h.size());
            o.addProperty("lastId", h.get(h.size() - 1).id());
            o.addProperty("subscribers", 0);
        }
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }

    /** {@code DELETE /push/pub}. */
    public void delete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = publisherChannel(req);
        channels.delete(name);
        JsonObject o = new JsonObject();
        o.addProperty("channel", name);
        o.addProperty("deleted", true);
        Http.json(resp, HttpServletResponse.SC_OK, o);
    }

    private String publisherChannel(HttpServletRequest req) {
        access.check(req.getRemoteAddr(), req.getHeader(PushAccess.SECRET_HEADER));
        String name = Http.query(req, "channel"); // never getParameter: it would eat a form body
        if (name == null || name.isEmpty()) throw Http.badInput("missing parameter 'channel'");
        Names.requireChannel(name);
        if (ChannelPolicy.isReserved(name)) {
            throw new HalleyException(HalleyException.Kind.FORBIDDEN, "channel '" + name + "' is reserved to the server");
        }
        return name;
    }
}
