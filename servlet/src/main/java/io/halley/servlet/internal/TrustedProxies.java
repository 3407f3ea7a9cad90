package io.halley.servlet.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The peers whose {@code Forwarded} and {@code X-Forwarded-Host|Proto|Port} headers say what the
 * browser's origin of this server is (the {@code trustedProxies} setting): {@code loopback}
 * (127.0.0.0/8 and ::1), IP addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}). An
 * empty list trusts no peer. Entries are IP literals only: nothing is resolved through DNS.
 *
 * <p>Only a request whose remote address (the TCP peer, as the container reports it) is trusted
 * has its headers read; from any other peer they are ignored, since a client could send them
 * itself. Thread-safe and immutable.
 */
public final class TrustedProxies {
    /** The keyword for 127.0.0.0/8 and ::1. */
    public static final String LOOPBACK = "loopback";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]?");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~%!$&'()*+,;=-]+|\\[[0-9A-Fa-f:.]+\\]");

    private final boolean loopback;
    private final List<byte[]> nets = new ArrayList<>();
    private final List<Integer> bits = new ArrayList<>();

    /**
     * @param entries {@code loopback}, IP addresses or CIDR ranges
     * @throws IllegalArgumentException for anything else
     */
    public TrustedProxies(List<String> entries) {
        boolean lo = false;
        for (String raw : entries) {
            String e = raw.trim();
            if (e.equalsIgnoreCase(LOOPBACK)) {
                lo = true;
                continue;
            }
            int slash = e.indexOf('/');
            String addr = slash < 0 ? e : e.substring(0, slash);
            byte[] a = literal(addr);
            if (a == null) throw new IllegalArgumentException("not 'loopback', an IP address or a CIDR range: '" + raw + "'");
            int n = a.length * 8;
            if (slash >= 0) {
                try {
                    n = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException x) {
                    n = -1;
                }
                if (n < 0 || n > a.length * 8) throw new IllegalArgumentException("bad prefix length in '" + raw + "'");
            }
            nets.add(a);
            bits.add(n);
        }
        this.loopback = lo;
    }

    /**
     * Checks a {@code trustedProxies} value (as {@link #TrustedProxies(List)} does) and returns it.
     *
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    public static List<String> check(List<String> entries) {
        try {
            new TrustedProxies(entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trustedProxies: " + e.getMessage(), e);
        }
        return entries;
    }

    /** Whether the peer {@code remoteAddr} (an IP literal) is a trusted proxy. */
    public boolean trusts(String remoteAddr) {
        byte[] a = literal(remoteAddr);
        if (a == null) return false;
        if (loopback && isLoopback(a)) return true;
        for (int i = 0; i < nets.size(); i++) if (matches(nets.get(i), bits.get(i), a)) return true;
        return false;
    }

    /**
     * The origin the browser used, as the trusted proxy in front of this request says
     * ({@code scheme://host[:port]}, normalised), or null when the peer is not trusted or sent no
     * forwarding header. {@code Forwarded} (RFC 7239, its first element) wins over
     * {@code X-Forwarded-*}; a missing scheme is the request's own; a host without port takes
     * {@code X-Forwarded-Port}, else the scheme's default port.
     */
    public String forwardedOrigin(HttpServletRequest req) {
        if (!trusts(req.getRemoteAddr())) return null;
        String proto = null;
        String host = null;
        String fwd = req.getHeader("Forwarded");
        if (fwd != null) {
            String first = fwd.split(",", 2)[0];
            for (String pair : first.split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0) continue;
                String k = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String v = unquote(pair.substring(eq + 1).trim());
                if (k.equals("proto")) proto = v;
                else if (k.equals("host")) host = v;
            }
        }
        String port = null;
        if (host == null) {
            host = firstValue(req.getHeader("X-Forwarded-Host"));
            if (proto == null) proto = firstValue(req.getHeader("X-Forwarded-Proto"));
            port = firstValue(req.getHeader("X-Forwarded-Port"));
        }
        if (host == null && proto == null) return null;
        if (proto == null) proto = req.getScheme();
        proto = proto.toLowerCase(Locale.ROOT);
        if (!proto.equals("http") && !proto.equals("https")) return null;
        if (host == null) { // only the scheme is forwarded: the Host header is the public one
            host = req.getServerName();
            if (host.indexOf(':') >= 0 && !host.startsWith("[")) host = "[" + host + "]";
            if (port == null) port = Integer.toString(req.getServerPort());
        }
        boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.indexOf(':') >= 0;
        String authority = hasPort || port == null ? host : host + ":" + port;
        String hostPart = hasPort ? host.substring(0, host.lastIndexOf(':')) : host;
        if (!HOST.matcher(hostPart).matches()) return null;
        try {
            return OriginPolicy.normalize(proto + "://" + authority);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String firstValue(String header) {
        if (header == null) return null;
        String v = header.split(",", 2)[0].trim();
        return v.isEmpty() ? null : v;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    /** The bytes of an IP literal, or null for anything else (never a DNS lookup). */
    private static byte[] literal(String s) {
        if (s == null || s.isEmpty() || !IP_LITERAL.matcher(s).matches()) return null;
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        try {
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static boolean isLoopback(byte[] a) {
        try {
            return InetAddress.getByAddress(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean matches(byte[] net, int prefix, byte[] a) {
        if (net.length != a.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (net[i] != a[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (net[full] & mask) == (a[full] & mask);
    }
}
