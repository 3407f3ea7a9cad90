package io.halley.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halley.servlet.internal.TrustedProxies;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code trustedProxies} setting: which peers' forwarding headers are read. */
class TrustedProxiesTest {

    @Test
    void theDefaultTrustsLoopbackOnly() {
        assertEquals(List.of("loopback"), CometSettings.defaults().trustedProxies());
        TrustedProxies t = new TrustedProxies(CometSettings.defaults().trustedProxies());
        assertTrue(t.trusts("127.0.0.1"));
        assertTrue(t.trusts("127.8.9.10"));
        assertTrue(t.trusts("::1"));
        assertTrue(t.trusts("0:0:0:0:0:0:0:1"));
        assertFalse(t.trusts("10.0.0.1"));
        assertFalse(t.trusts("192.168.1.1"));
        assertFalse(t.trusts("localhost"), "names are never resolved");
        assertFalse(t.trusts(null));
    }

    @Test
    void addressesAndCidrRangesAreMatchedAndAnEmptyListTrustsNone() {
        TrustedProxies t = new TrustedProxies(List.of("10.1.0.0/16", "192.0.2.7", "fd00::/8"));
        assertTrue(t.trusts("10.1.200.3"));
        assertFalse(t.trusts("10.2.0.1"));
        assertTrue(t.trusts("192.0.2.7"));
        assertFalse(t.trusts("192.0.2.8"));
        assertTrue(t.trusts("fd12:3456::1"));
        assertFalse(t.trusts("fe80::1"));
        assertFalse(t.trusts("127.0.0.1"), "loopback only when listed");
        assertFalse(new TrustedProxies(List.of()).trusts("127.0.0.1"));
        assertEquals(List.of(), CometSettings.builder().trustedProxies(List.of()).build().trustedProxies());
    }

    @Test
    void badEntriesAreRefusedNamingTheSetting() {
        for (String bad : List.of("proxy.example", "10.0.0.0/33", "10.0.0.0/x", "*", "::1/129")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CometSettings.builder().trustedProxies(List.of(bad)).build(), bad);
            assertTrue(e.getMessage().contains("trustedProxies"), e.getMessage());
        }
    }
}
