package com.example.consumer;

import io.halley.core.Halley;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts on a free port, checks that Halley is mounted and opens a page, prints CONSUMER OK and stops. */
@SpringBootApplication
public class ConsumerApplication {
    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext ctx = SpringApplication.run(ConsumerApplication.class, "--server.port=0");
        int code = 1;
        try {
            String base = "http://localhost:" + ctx.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            int js = http.send(HttpRequest.newBuilder(URI.create(base + "/halley/halley.js")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/halley/page"))
                    .header("Origin", base).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            int pages = ctx.getBean(Halley.class).pageCount();
            System.out.println("halley.js " + js + ", POST /page " + page.statusCode() + ", pages " + pages);
            if (js == 200 && page.statusCode() == 200 && pages == 1) {
                System.out.println("CONSUMER OK");
                code = 0;
            }
        } finally {
            ctx.close();
        }
        System.exit(code);
    }
}
