package io.halley.sample.boot;

import io.halley.core.ChannelPolicy;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The Spring Boot sample: the starter mounts Halley at {@code /halley/*}; Spring Security's form
 * login guards every page (users {@code alice} and {@code bob}, password {@code password}); CSRF
 * stays on, and {@code halley.js} sends the token with its POSTs. Run it with
 * {@code mvn -q -pl samples/spring-boot -am spring-boot:run} (see its README).
 */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** Browsers may subscribe to {@code news} only: each user's own channel is subscribed server-side. */
    @Bean
    ChannelPolicy channelPolicy() {
        return ChannelPolicy.defaults().subscribe((page, channel) -> channel.equals(NewsController.NEWS));
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .formLogin(Customizer.withDefaults())
                .build();
    }

    /** Two demo users; a real application takes its users from its own store. */
    @Bean
    UserDetailsService users() {
        @SuppressWarnings("deprecation") // withDefaultPasswordEncoder: fine for a sample, never for production
        User.UserBuilder users = User.withDefaultPasswordEncoder();
        return new InMemoryUserDetailsManager(users.username("alice").password("password").roles("USER").build(),
                users.username("bob").password("password").roles("USER").build());
    }
}
