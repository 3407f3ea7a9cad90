package io.halley.servlet.internal.push;

import io.halley.core.HalleyException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may use the nginx-push publisher ({@code /push/pub}), from the {@code pushPublisher}
 * setting: {@code off} (every request 403), {@code loopback} (only requests whose remote address
 * is a loopback address: 127.0.0.0/8 or ::1; behind a reverse proxy on the same host every request
 * looks local, so prefer a secret there) or a shared secret that the publisher sends in the header
 * {@code X-Halley-Push-Secret}, compared in constant time (SHA-256 digests, so neither content
 * nor length leaks). Immutable and thread-safe.
 */
public final class PushAccess {
    public static final String OFF = "off";
    static final String LOOPBACK = "loopback";
    public static final String SECRET_HEADER = "X-Halley-Push-Secret";
    public static final int MIN_SECRET = 16;
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.%]+");

    private final String mode;
    private final byte[] secretDigest;

    /** @param setting a value accepted by {@link #check(String)} */
    public PushAccess(String setting) {
        this.mode = check(setting);
        this.secretDigest = mode.equals(OFF) || mode.equals(LOOPBACK) ? null : digest(mode);
    }

    /**
     * Validates a {@code pushPublisher} value; {@code off} and {@code loopback} in any case.
     *
     * @return the normalised value
     * @throws IllegalArgumentException naming the setting (never echoing a secret)
     */
    public static String check(String setting) {
        if (setting == null) throw new IllegalArgumentException("pushPublisher must not be null");
        String lower = setting.trim().toLowerCase(Locale.ROOT);
        if (lower.equals(OFF) || lower.equals(LOOPBACK)) return lower;
        if (setting.length() < MIN_SECRET || !setting.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("pushPublisher must be 'off', 'loopback' or a secret of at least "
                    + MIN_SECRET + " printable ASCII characters without spaces (got " + setting.length() + " characters)");
        }
        return setting;
    }

    /** The setting as it may be logged: the secret is never shown. */
    public static String describe(String setting) {
        return setting.equals(OFF) || setting.equals(LOOPBACK) ? setting : "secret";
    }

    /**
     * Checks one publisher request.
     *
     * @param remoteAddr the request's remote IP address
     * @param secret     the {@code X-Halley-Push-Secret} header, or null
     * @throws HalleyException FORBIDDEN when the request may not publish
     */
    public void check(String remoteAddr, String secret) {
        if (mode.equals(OFF)) throw forbidden("the push publisher is off (setting pushPublisher)");
        if (mode.equals(LOOPBACK)) {
            if (!isLoopback(remoteAddr)) throw forbidden("the push publisher accepts local requests only");
            return;
        }
        if (secret == null || !MessageDigest.isEqual(secretDigest, digest(secret))) {
            throw forbidden("wrong or missing " + SECRET_HEADER);
        }
    }

    public static boolean isLoopback(String addr) {
        if (addr == null) return false;
        String a = addr.startsWith("[") && addr.endsWith("]") ? addr.substring(1, addr.length() - 1) : addr;
        if (a.isEmpty() || !IP_LITERAL.matcher(a).matches()) return false; // never a name lookup
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    private static HalleyException forbidden(String message) {
        return new HalleyException(HalleyException.Kind.FORBIDDEN, message);
    }
}
