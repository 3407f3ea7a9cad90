package io.halley.sample.boot;

import io.halley.core.CallResponse;
import io.halley.core.Callback;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * A streamed callback ({@code Halley.connect().call('shout', text)} in the page): a bean with a
 * {@link Callback} method, registered by the starter. It streams one frame per letter, then
 * returns the whole word, which resolves the page's promise.
 */
@Component
public class Shouter {

    @Callback("shout")
    public String shout(CallResponse response, String text) throws InterruptedException {
        StringBuilder sofar = new StringBuilder();
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            sofar.append(c);
            response.text("#shouted", sofar.toString()).flush();
            Thread.sleep(100);
        }
        return sofar.toString();
    }
}
