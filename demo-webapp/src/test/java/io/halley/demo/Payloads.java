package io.halley.demo;

import java.util.List;

/** Hostile strings that must stay text wherever a command puts text or attributes. */
final class Payloads {
    static final String IMG = "<img src=x onerror=alert(1)>";
    static final String SCRIPT = "</script><script>alert(1)</script>";
    static final String SVG = "\"><svg onload=alert(1)>";
    static final List<String> ALL = List.of(IMG, SCRIPT, SVG);

    private Payloads() {
    }
}
