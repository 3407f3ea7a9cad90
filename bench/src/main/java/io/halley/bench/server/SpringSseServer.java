package io.halley.bench.server;

import io.halley.bench.load.Payload;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What a Spring user writes: a plain Spring MVC application (Spring Framework 6.2,
 * {@link DispatcherServlet}, {@code @EnableWebMvc}, no Boot) on the same Jetty 12 ee10 as Halley,
 * whose {@code GET /sse} returns an {@link SseEmitter} without timeout that joins a list, as
 * Spring's reference documentation shows. A publish sends every emitter the same events the limit
 * writes ({@code id:} the message number, {@code data:} Halley's frame) from the publishing
 * thread; a batch goes to each emitter as one {@code send(Set)}, so one flush per connection, as
 * the limit writes a batch as one array. An emitter whose send fails is dropped. A comment opens
 * each stream and every 15 s keeps it alive, like the limit's heartbeat.
 *
 * <p>{@code SseEmitter.send} writes through the servlet's blocking output stream: a slow reader
 * holds up the publishing thread. That is Spring's behaviour, and part of what this peer measures.
 */
public final class SpringSseServer implements BenchServer {
    private final Server server;
    private final Emitters emitters;
    private final AtomicLong bn = new AtomicLong();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spring-sse-heartbeat");
        t.setDaemon(true);
        return t;
    });

    SpringSseServer(int port) throws Exception {
        server = Jetty.server(port);
        AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
        spring.register(WebConfig.class);
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        ctx.setContextPath("/");
        ServletHolder holder = new ServletHolder("spring", new DispatcherServlet(spring));
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        ctx.addServlet(holder, "/");
        server.setHandler(ctx);
        server.start();
        emitters = spring.getBean(Emitters.class);
        heartbeat.scheduleAtFixedRate(() -> emitters.sendAll(SseEmitter.event().comment("hb").build()),
                15, 15, TimeUnit.SECONDS);
    }

    /** The application's configuration: Spring MVC and the one controller. */
    @Configuration
    @EnableWebMvc
    public static class WebConfig {
        @Bean
        public Emitters emitters() {
            return new Emitters();
        }

        @Bean
        public StreamController streamController(Emitters emitters) {
            return new StreamController(emitters);
        }
    }

    /** {@code GET /sse}: a new emitter, no timeout, in the list until it completes or fails. */
    @RestController
    public static class StreamController {
        private final Emitters emitters;

        public StreamController(Emitters emitters) {
            this.emitters = emitters;
        }

        @GetMapping(path = "/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        public SseEmitter stream() throws IOException {
            SseEmitter emitter = new SseEmitter(0L);
            emitters.add(emitter);
            emitter.send(SseEmitter.event().comment("halley-bench spring sse"));
            return emitter;
        }
    }

    /** The held emitters. Thread-safe. */
    public static final class Emitters {
        private final List<SseEmitter> list = new CopyOnWriteArrayList<>();

        void add(SseEmitter e) {
            list.add(e);
            e.onCompletion(() -> list.remove(e));
            e.onTimeout(() -> list.remove(e));
            e.onError(t -> list.remove(e));
        }

        int size() {
            return list.size();
        }

        /** Sends {@code items} to every emitter, on the calling thread; drops the ones that fail. */
        void sendAll(Set<ResponseBodyEmitter.DataWithMediaType> items) {
            for (SseEmitter e : list) {
                try {
                    e.send(items);
                } catch (IOException | IllegalStateException ex) {
                    list.remove(e);
                    e.completeWithError(ex);
                }
            }
        }
    }

    @Override
    public String name() {
        return "spring";
    }

    @Override
    public int port() {
        return Jetty.port(server);
    }

    @Override
    public long publish(int n, int size, long due) {
        long first = bn.get() + 1;
        Set<ResponseBodyEmitter.DataWithMediaType> events = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            long id = bn.incrementAndGet();
            events.addAll(SseEmitter.event().id(Long.toString(id))
                    .data(Payload.frame(id, id, Payload.json(id, due, size))).build());
        }
        emitters.sendAll(events);
        return first;
    }

    @Override
    public int connections() {
        return emitters.size();
    }

    @Override
    public int clientsKept() {
        return emitters.size();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        Jetty.stop(server, Duration.ofMillis(500));
    }
}
