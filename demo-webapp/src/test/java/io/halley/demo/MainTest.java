package io.halley.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link Main} picks its port. */
class MainTest {

    @Test
    void portIs8080ByDefault() {
        assertEquals(8080, Main.port(new String[0], Map.of()));
    }

    @Test
    void portComesFromTheEnvironmentThenTheCommandLine() {
        assertEquals(9000, Main.port(new String[0], Map.of("PORT", "9000")));
        assertEquals(9001, Main.port(new String[] {"--port", "9001"}, Map.of("PORT", "9000")));
        assertEquals(9002, Main.port(new String[] {"--port=9002"}, Map.of()));
        assertEquals(0, Main.port(new String[] {"--port", "0"}, Map.of()));
    }

    @Test
    void badArgumentsAreRefusedWithAClearMessage() {
        assertEquals("not a port number: 'x'",
                assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--port", "x"}, Map.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--port", "70000"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--port"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[] {"--verbose"}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Main.port(new String[0], Map.of("PORT", "eighty")));
    }
}
