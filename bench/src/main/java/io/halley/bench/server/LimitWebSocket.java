package io.halley.bench.server;

import io.halley.bench.load.Payload;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The limit over WebSocket, the fair baseline for Halley's {@code /halley/ws}: a bare Jakarta
 * WebSocket endpoint at {@code /ws} on the same Jetty 12 ee10 context as the limit's SSE, no
 * framework. A publish encodes its messages once into one text message with Halley's bytes (a
 * JSON array of Halley frames, {@code [{"seq":N,"cmds":[{"op":"message",…,"data":{…}}]}, …]}) and
 * hands that one {@code String} to every socket; each socket has one asynchronous send in flight
 * at a time and coalesces what queued meanwhile into the next message, as Halley does, so no thread
 * waits on a slow reader. A ping every heartbeat, as Halley. Thread-safe.
 */
final class LimitWebSocket {
    private static final byte[] PING = "hb".getBytes(StandardCharsets.US_ASCII);
    private final Set<Peer> peers = ConcurrentHashMap.newKeySet();

    /** The endpoint's configuration for the container: every socket a {@link Peer} of this set. */
    ServerEndpointConfig config() {
        return ServerEndpointConfig.Builder.create(Peer.class, "/ws").configurator(new ServerEndpointConfig.Configurator() {
            @Override
            public <T> T getEndpointInstance(Class<T> type) {
                return type.cast(new Peer(LimitWebSocket.this));
            }
        }).build();
    }

    int size() {
        return peers.size();
    }

    /** Sends messages {@code first..first+jsons.size()-1} to every socket as one text message. */
    void publish(long first, List<String> jsons) {
        if (peers.isEmpty()) return;
        StringBuilder b = new StringBuilder(jsons.size() * 200).append('[');
        for (int i = 0; i < jsons.size(); i++) {
            if (i > 0) b.append(',');
            long id = first + i;
            b.append(Payload.frame(id, id, jsons.get(i)));
        }
        String text = b.append(']').toString();
        for (Peer p : peers) p.offer(text);
    }

    void heartbeat() {
        for (Peer p : peers) p.ping();
    }

    void closeAll() {
        for (Peer p : peers) p.end();
    }

    /** One socket: a single send in flight, the rest coalesced. Public: the container instantiates the type. */
    public static final class Peer extends Endpoint implements SendHandler {
        private final LimitWebSocket owner;
        private final List<String> pending = new ArrayList<>(4); // guarded by this
        private Session session;
        private RemoteEndpoint.Async remote;
        private boolean sending; // guarded by this
        private boolean closed;  // guarded by this

        Peer(LimitWebSocket owner) {
            this.owner = owner;
        }

        @Override
        public void onOpen(Session s, EndpointConfig config) {
            s.setMaxIdleTimeout(0);
            synchronized (this) {
                session = s;
                remote = s.getAsyncRemote();
            }
            owner.peers.add(this);
        }

        void offer(String text) {
            RemoteEndpoint.Async r;
            synchronized (this) {
                if (closed || remote == null) return;
                if (sending) {
                    pending.add(text);
                    return;
                }
                sending = true;
                r = remote;
            }
            send(r, text);
        }

        private void send(RemoteEndpoint.Async r, String text) {
            try {
                r.sendText(text, this);
            } catch (RuntimeException e) {
                end();
            }
        }

        @Override
        public void onResult(SendResult result) {
            if (!result.isOK()) {
                end();
                return;
            }
            String next;
            RemoteEndpoint.Async r;
            synchronized (this) {
                if (pending.isEmpty() || closed) {
                    sending = false;
                    return;
                }
                next = pending.size() == 1 ? pending.get(0) : join(pending);
                pending.clear();
                r = remote;
            }
            send(r, next);
        }

        /** Several queued arrays as one: {@code [a…],[b…]} → {@code [a…,b…]}. */
        private static String join(List<String> arrays) {
            int len = 0;
            for (String a : arrays) len += a.length();
            StringBuilder b = new StringBuilder(len).append('[');
            for (String a : arrays) {
                if (b.length() > 1) b.append(',');
                b.append(a, 1, a.length() - 1);
            }
            return b.append(']').toString();
        }

        void ping() {
            RemoteEndpoint.Async r;
            synchronized (this) {
                if (closed || sending || remote == null) return; // frames in flight are the heartbeat
                r = remote;
            }
            try {
                r.sendPing(ByteBuffer.wrap(PING));
            } catch (IOException | RuntimeException e) {
                end();
            }
        }

        void end() {
            Session s;
            synchronized (this) {
                if (closed) return;
                closed = true;
                pending.clear();
                s = session;
            }
            owner.peers.remove(this);
            if (s != null) {
                try {
                    s.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "closing"));
                } catch (IOException | RuntimeException ignored) {
                    // gone already
                }
            }
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            synchronized (this) {
                closed = true;
                pending.clear();
            }
            owner.peers.remove(this);
        }

        @Override
        public void onError(Session s, Throwable t) {
            end();
        }
    }
}
