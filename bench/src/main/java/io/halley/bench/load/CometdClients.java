package io.halley.bench.load;

import io.halley.bench.server.CometdServer;
import io.halley.bench.server.Jetty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cometd.bayeux.Message;
import org.cometd.client.BayeuxClient;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.cometd.common.JacksonJSONContextClient;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee11.websocket.jakarta.client.JakartaWebSocketClientContainer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * CometD's own Java client ({@code cometd-java-client}) on its WebSocket transport, one
 * {@link BayeuxClient} per simulated browser, all sharing one Jetty {@link HttpClient}, one
 * WebSocket container and one scheduler (as CometD's load client does). Each handshakes, subscribes
 * to {@code /bench} and counts what it receives. The client's own JSON parsing runs on this
 * machine's two cores too, which the report says next to the CometD numbers.
 */
public final class CometdClients implements Clients {
    private static final int CONCURRENT_OPENS = 256;

    private final String url;
    private final Tally tally = new Tally();
    private final HttpClient http;
    private final JakartaWebSocketClientContainer container;
    private final ScheduledExecutorService scheduler;
    private final List<BayeuxClient> clients = new ArrayList<>();
    private final AtomicInteger up = new AtomicInteger();

    public CometdClients(int port) throws Exception {
        this.url = "ws://127.0.0.1:" + port + "/cometd";
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("cometd-client");
        pool.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(pool);
        http.setMaxConnectionsPerDestination(CONCURRENT_OPENS * 2);
        http.setMaxRequestsQueuedPerDestination(100_000);
        http.setIdleTimeout(Jetty.IDLE_TIMEOUT.toMillis());
        container = new JakartaWebSocketClientContainer(http);
        container.setDefaultMaxTextMessageBufferSize(4 << 20);
        container.setDefaultMaxSessionIdleTimeout(Jetty.IDLE_TIMEOUT.toMillis());
        container.start();
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "cometd-client-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public int open(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Semaphore opening = new Semaphore(CONCURRENT_OPENS);
        AtomicInteger ok = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            if (!opening.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
            Receiver receiver = tally.newReceiver();
            Map<String, Object> options = new HashMap<>();
            options.put(ClientTransport.JSON_CONTEXT_OPTION, new JacksonJSONContextClient());
            options.put(ClientTransport.MAX_NETWORK_DELAY_OPTION, 60_000L);
            options.put(ClientTransport.MAX_MESSAGE_SIZE_OPTION, 4 << 20);
            BayeuxClient client = new BayeuxClient(url, scheduler, new WebSocketTransport(options, scheduler, container));
            synchronized (clients) {
                clients.add(client);
            }
            Once release = new Once(opening::release);
            client.handshake(reply -> {
                if (!reply.isSuccessful()) {
                    receiver.fail("handshake: " + reply);
                    release.run();
                    return;
                }
                client.getChannel(CometdServer.CHANNEL).subscribe((channel, message) -> onMessage(receiver, message), sub -> {
                    if (sub.isSuccessful()) {
                        ok.incrementAndGet();
                        up.incrementAndGet();
                    } else {
                        receiver.fail("subscribe: " + sub);
                    }
                    release.run();
                });
            });
        }
        opening.tryAcquire(CONCURRENT_OPENS, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return ok.get();
    }

    private static void onMessage(Receiver receiver, Message message) {
        Map<String, Object> data = message.getDataAsMap();
        if (data == null) return;
        Object bn = data.get("bn");
        Object bt = data.get("bt");
        if (bn instanceof Number && bt instanceof Number) {
            receiver.message(((Number) bn).longValue(), ((Number) bt).longValue());
        }
    }

    @Override
    public Tally tally() {
        return tally;
    }

    @Override
    public int up() {
        return up.get();
    }

    @Override
    public void close() {
        List<BayeuxClient> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
            clients.clear();
        }
        // disconnect properly, so that the server drops the sessions now rather than after maxInterval
        CountDownLatch disconnected = new CountDownLatch(all.size());
        for (BayeuxClient c : all) {
            try {
                if (c.isHandshook()) c.disconnect(reply -> disconnected.countDown());
                else disconnected.countDown();
            } catch (RuntimeException e) {
                disconnected.countDown();
            }
        }
        try {
            disconnected.await(10 + all.size() / 1000, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (BayeuxClient c : all) {
            try {
                c.abort();
            } catch (RuntimeException ignored) {
                // closing
            }
        }
        try {
            container.stop();
            http.stop();
        } catch (Exception e) {
            System.err.println("stopping the CometD clients: " + e);
        }
        scheduler.shutdownNow();
    }

    /** Runs its action once. */
    private static final class Once implements Runnable {
        private final Runnable action;
        private final AtomicInteger runs = new AtomicInteger();

        Once(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            if (runs.getAndIncrement() == 0) action.run();
        }
    }
}
